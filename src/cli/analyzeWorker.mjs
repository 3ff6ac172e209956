// The worker thread's entry: like bin/fusion-inspector.mjs, tsx compiles the TypeScript on the fly.
import { register } from 'tsx/esm/api';

register();
await import('./analyzeWorker.ts');
