#!/usr/bin/env node
// In the checkout, the TypeScript sources run directly (tsx compiles on the fly), so the command is
// never a stale build; an installed package has no sources and runs its bundle (dist/cli).
import { existsSync } from 'node:fs';

const source = new URL('../src/cli/main.ts', import.meta.url);
const bundle = new URL('../dist/cli/fusion-inspector.mjs', import.meta.url);
if (existsSync(source) && !process.env.FUSION_INSPECTOR_BUNDLE) {
  const { register } = await import('tsx/esm/api');
  register();
  const { runCli } = await import('../src/cli/main.ts');
  await runCli(process.argv.slice(2));
} else if (existsSync(bundle)) {
  await import(bundle.href);
} else {
  console.error('fusion-inspector: the command is not built: run `npm run build` in the package folder.');
  process.exitCode = 2;
}
