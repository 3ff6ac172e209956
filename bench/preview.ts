/** Serves a built page with `vite preview` for the bench, once it answers; `stop` ends the server. */
import { spawn, type ChildProcess } from 'node:child_process';

export async function servePreview(root: string, port: number, config?: string): Promise<{ base: string; stop: () => void }> {
  const args = ['vite', 'preview', ...(config ? ['--config', config] : []), '--port', String(port), '--strictPort'];
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
