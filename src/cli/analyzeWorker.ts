/** A worker thread of `analyze` over many models: analyses the files it is sent, one at a time. */
import { parentPort } from 'node:worker_threads';
import { analyzeFile } from './modelResult';

parentPort?.on('message', (file: string) => parentPort!.postMessage(analyzeFile(file)));
