/** Serves a built page with `vite preview` for the bench, once it answers; `stop` ends the server. */
import { spawn, type ChildProcess } from 'node:child_process';

/** `config`: another Vite config (bench/floor); `outDir`: a build outside dist/page (the verify bench's own). */
export async function servePreview(root: string, port: number, opts: { config?: string; outDir?: string } = {}): Promise<{ base: string; stop: () => void }> {
  const args = ['vite', 'preview', ...(opts.config ? ['--config', opts.config] : []), ...(opts.outDir ? ['--outDir', opts.outDir] : []), '--port', String(port), '--strictPort'];
  const server: ChildProcess = spawn('npx', args, { cwd: root, stdio: 'ignore', detached: true });
  const stop = () => {
    if (server.pid) process.kill(-server.pid);
  };
  const base = `http://localhost:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(base)).ok) break;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return { base, stop };
}
