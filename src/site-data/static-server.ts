import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, posix, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  // As GitHub Pages serves it: the bytes as they are, no Content-Encoding (the page inflates them).
  '.gz': 'application/gzip',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

export interface StaticServeOptions {
  /** The built site folder. */
  root: string;
  /** The base path the site was built for, e.g. `/repo/`; requests outside it get 404. */
  base?: string;
}

function normalizeBase(base = '/'): string {
  const withLead = base.startsWith('/') ? base : `/${base}`;
  return withLead.endsWith('/') ? withLead : `${withLead}/`;
}

function send(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', ...headers });
  res.end(text);
}

/**
 * Serves one request from a built site like GitHub Pages does: `dir/` → `dir/index.html`,
 * `dir` → redirect to `dir/`, unknown paths → `404.html`. Paths are decoded once, normalised,
 * and must stay inside the root after symlinks are resolved, so `..`, `%2e%2e` and links out
 * of the folder all end in 404.
 */
export async function serveStaticFiles(req: IncomingMessage, res: ServerResponse, options: StaticServeOptions): Promise<void> {
  const base = normalizeBase(options.base);
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed', { allow: 'GET, HEAD' });
  const url = new URL(req.url ?? '/', 'http://localhost');
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return send(res, 400, 'bad request');
  }
  if (pathname.includes('\0')) return send(res, 400, 'bad request');
  if (pathname === base.slice(0, -1)) return send(res, 301, '', { location: `${base}${url.search}` });
  if (!pathname.startsWith(base)) return notFound(res, options.root, req.method === 'HEAD');
  const relative = posix.normalize(`/${pathname.slice(base.length)}`).slice(1);
  if (relative.split('/').includes('..')) return notFound(res, options.root, req.method === 'HEAD');

  const root = await realpath(options.root);
  let file = join(root, ...relative.split('/').filter(Boolean));
  let info = await stat(file).catch(() => null);
  if (info?.isDirectory()) {
    if (!url.pathname.endsWith('/')) return send(res, 301, '', { location: `${url.pathname}/${url.search}` });
    file = join(file, 'index.html');
    info = await stat(file).catch(() => null);
  }
  if (!info?.isFile()) return notFound(res, root, req.method === 'HEAD');
  const real = await realpath(file);
  if (real !== root && !real.startsWith(root + sep)) return notFound(res, root, req.method === 'HEAD');
  return sendFile(res, real, info.size, 200, req.method === 'HEAD');
}

function sendFile(res: ServerResponse, file: string, size: number, status: number, headOnly: boolean): void {
  const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
  res.writeHead(status, {
    'content-type': type,
    'content-length': String(size),
    'x-content-type-options': 'nosniff',
    'cache-control': type.startsWith('text/html') ? 'no-cache' : 'max-age=60',
  });
  if (headOnly) {
    res.end();
    return;
  }
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
}

async function notFound(res: ServerResponse, root: string, headOnly: boolean): Promise<void> {
  const page = join(root, '404.html');
  const info = await stat(page).catch(() => null);
  if (info?.isFile()) return sendFile(res, page, info.size, 404, headOnly);
  send(res, 404, 'not found');
}

export interface RunningServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** Starts a static server for a built site; port 0 picks a free port. */
export async function startStaticServer(options: StaticServeOptions & { port?: number; host?: string }): Promise<RunningServer> {
  const server = createServer((req, res) => {
    serveStaticFiles(req, res, options).catch(() => {
      if (!res.headersSent) send(res, 500, 'internal error');
      else res.destroy();
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  server.keepAliveTimeout = 1000;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}${normalizeBase(options.base)}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
