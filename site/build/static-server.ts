import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join, posix, relative as relativePath, sep } from 'node:path';
import sirv from 'sirv';
import { LabbookError, UsageError } from '#lib/errors/index.ts';

interface StaticServeOptions {
  /** The built site folder. */
  root: string;
  /** The base path the site was built for, e.g. `/repo/`; requests outside it get 404. */
  base?: string;
}

function normalizeBase(base = '/'): string {
  const withLead = base.startsWith('/') ? base : `/${base}`;
  return withLead.endsWith('/') ? withLead : `${withLead}/`;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * A handler serving a built site like GitHub Pages does: `dir/` → `dir/index.html`, `dir` →
 * redirect to `dir/`, unknown paths → `404.html` with status 404. Paths are decoded once,
 * normalised, and must stay inside the root after symlinks are resolved, so `..`, `%2e%2e`
 * and links out of the folder all end in 404.
 *
 * The file itself is sent by sirv (maintained, small, what Vite's preview uses): content types,
 * ETag and 304 for conditional requests, byte ranges, HEAD. What stays here is what sirv does
 * not do: the base path, the redirect, the 404 page, and the symlink guard (sirv follows links).
 */
export function staticFiles(options: StaticServeOptions): Handler {
  const base = normalizeBase(options.base);
  const send = sirv(options.root, {
    // Stat each request: a site rebuilt while it is previewed is served as it now is.
    dev: true,
    etag: true,
    // No guessing `a` → `a.html`: the paths are resolved below, as GitHub Pages resolves them.
    extensions: [],
    setHeaders(res, pathname) {
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Cache-Control', pathname.endsWith('.html') ? 'no-cache' : 'max-age=60');
    },
  });
  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(res, 405, 'method not allowed', { allow: 'GET, HEAD' });
    const url = new URL(req.url ?? '/', 'http://localhost');
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      return reply(res, 400, 'bad request');
    }
    if (pathname.includes('\0')) return reply(res, 400, 'bad request');
    if (pathname === base.slice(0, -1)) return reply(res, 301, '', { location: `${base}${url.search}` });
    const root = await realpath(options.root);
    if (!pathname.startsWith(base)) return notFound(res, root, req.method === 'HEAD');
    const relative = posix.normalize(`/${pathname.slice(base.length)}`).slice(1);
    if (relative.split('/').includes('..')) return notFound(res, root, req.method === 'HEAD');

    let file = join(root, ...relative.split('/').filter(Boolean));
    let info = await stat(file).catch(() => null);
    if (info?.isDirectory()) {
      if (!url.pathname.endsWith('/')) return reply(res, 301, '', { location: `${url.pathname}/${url.search}` });
      file = join(file, 'index.html');
      info = await stat(file).catch(() => null);
    }
    if (!info?.isFile()) return notFound(res, root, req.method === 'HEAD');
    const real = await realpath(file);
    if (real !== root && !real.startsWith(root + sep)) return notFound(res, root, req.method === 'HEAD');
    // sirv is handed the checked file's path inside the root, encoded as a URL path.
    req.url = `/${relativePath(root, real).split(sep).map(encodeURIComponent).join('/')}`;
    if (real.endsWith('.gz')) servedAsStored(res);
    send(req, res, () => void notFound(res, root, req.method === 'HEAD'));
  };
}

/**
 * A `.gz` file goes out as the bytes it holds, `application/gzip` with no Content-Encoding, as
 * GitHub Pages serves it: the site's pages inflate trace detail themselves (DecompressionStream).
 * sirv would label it `Content-Encoding: gzip`, and the browser would inflate it first.
 */
function servedAsStored(res: ServerResponse): void {
  const writeHead = res.writeHead.bind(res) as (status: number, headers?: Record<string, unknown>) => ServerResponse;
  (res as { writeHead: unknown }).writeHead = (status: number, headers: Record<string, unknown> = {}) => {
    const { 'Content-Encoding': _encoding, 'Content-Type': _type, ...rest } = headers;
    res.removeHeader('Content-Encoding');
    return writeHead(status, { ...rest, 'Content-Type': 'application/gzip' });
  };
}

function reply(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', ...headers });
  res.end(text);
}

/** The site's own 404 page with status 404 (sirv answers only 200 and 206), else a plain 404. */
async function notFound(res: ServerResponse, root: string, headOnly: boolean): Promise<void> {
  const page = join(root, '404.html');
  const info = await stat(page).catch(() => null);
  if (!info?.isFile()) return reply(res, 404, 'not found');
  res.writeHead(404, {
    'content-type': 'text/html;charset=utf-8',
    'content-length': String(info.size),
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-cache',
  });
  if (headOnly) {
    res.end();
    return;
  }
  createReadStream(page)
    .on('error', () => res.destroy())
    .pipe(res);
}

export interface RunningServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/**
 * Why the server could not listen, in one line naming the option to change: a host that names
 * no address of this machine (a typo, a remote address) or a port that is taken or reserved.
 */
function listenError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  if (error.code === 'EADDRINUSE')
    return new LabbookError(`port ${port} on ${host} is in use (another preview?): stop it, or pass --port <another>`);
  if (error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN' || error.code === 'EADDRNOTAVAIL')
    return new UsageError(
      `--host "${host}" is not an address of this machine: give one to listen on, such as 127.0.0.1, localhost or 0.0.0.0`,
    );
  if (error.code === 'EACCES')
    return new UsageError(`--port ${port} is reserved for the system administrator: pass a port above 1023, such as 4321`);
  return error;
}

/** Starts a static server for a built site; port 0 picks a free port. */
export async function startStaticServer(options: StaticServeOptions & { port?: number; host?: string }): Promise<RunningServer> {
  const serve = staticFiles(options);
  const server = createServer((req, res) => {
    serve(req, res).catch(() => {
      if (!res.headersSent) reply(res, 500, 'internal error');
      else res.destroy();
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, host, options.port ?? 0)));
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
