/** The bundled CLI's entry (dist/cli/fusion-inspector.mjs). */
import { runCli } from './main';

await runCli(process.argv.slice(2));
