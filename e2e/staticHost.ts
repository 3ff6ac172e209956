/**
 * The built page (e2e-dist, built by playwright.config.ts's second web server) from a plain static
 * host: files under a sub-path, a Content-Type, and no other headers — no COOP/COEP, no CSP header.
 * `E2E_DIST` points it at another build (a fresh one while the shared preview serves an older one).
 */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIST = process.env.E2E_DIST ?? resolve(fileURLToPath(import.meta.url), '../../e2e-dist');
export const PREFIX = '/sub/path/';
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.wasm': 'application/wasm', '.onnx': 'application/octet-stream' };

/** How a test watches the host: every path asked for (in order), and files answered only after a delay (a slow network). */
export interface HostWatch {
  asked: string[];
  slow: { match: RegExp; ms: number } | null;
}

/** A static host with no special headers (or only `headers`): files under PREFIX, nothing else. */
export function staticHost(headers: Record<string, string> = {}, watch: HostWatch = { asked: [], slow: null }): Promise<{ server: Server; base: string }> {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    watch.asked.push(path);
    if (watch.slow?.match.test(path)) await new Promise((r) => setTimeout(r, watch.slow!.ms));
    if (!path.startsWith(PREFIX)) return void res.writeHead(404).end();
    const rel = normalize(path.slice(PREFIX.length) || 'index.html');
    if (rel.startsWith('..')) return void res.writeHead(403).end();
    try {
      const body = await readFile(join(DIST, rel.endsWith('/') ? `${rel}index.html` : rel));
      res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(rel)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done({ server, base: `http://127.0.0.1:${(server.address() as { port: number }).port}${PREFIX}` })));
}
