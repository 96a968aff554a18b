import { gunzipSync, gzipSync } from 'node:zlib';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startStaticServer } from './static-server.ts';

/** A raw GET that sends the path exactly as written (fetch would normalise `..`). */
function get(
  url: string,
  path: string,
  method = 'GET',
  headers: Record<string, string> = {},
): Promise<{ status: number; type: string | undefined; location: string | undefined; etag: string | undefined; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode!,
          type: res.headers['content-type'],
          location: res.headers.location,
          etag: res.headers.etag,
          body,
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the preview server', () => {
  let root: string;
  let outside: string;
  let server: RunningServer;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'labbook-serve-'));
    outside = await mkdtemp(join(tmpdir(), 'labbook-secret-'));
    await writeFile(join(outside, 'secret.txt'), 'top secret');
    await mkdir(join(root, 'site', 'experiments', 'a'), { recursive: true });
    await writeFile(join(root, 'site', 'index.html'), '<h1>home</h1>');
    await writeFile(join(root, 'site', '404.html'), '<h1>not here</h1>');
    await writeFile(join(root, 'site', 'experiments', 'a', 'index.html'), '<h1>a</h1>');
    await writeFile(join(root, 'site', 'app.js'), 'export {}');
    await writeFile(join(root, 'site', 'rows.json'), '{}');
    await writeFile(join(root, 'site', 'chart.svg'), '<svg/>');
    await writeFile(join(root, 'site', 'style.css'), 'a{}');
    await writeFile(join(root, 'site', 'traces-0.json.gz'), gzipSync('{"traces":[]}'));
    await writeFile(join(root, 'secret-sibling.txt'), 'sibling');
    await symlink(join(outside, 'secret.txt'), join(root, 'site', 'link.txt'));
    server = await startStaticServer({ root: join(root, 'site'), base: '/repo/' });
  });
  afterAll(async () => {
    await server.close();
    await rm(root, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  it('serves files under the base path with their content types', async () => {
    expect(server.url).toMatch(/\/repo\/$/);
    const cases: [string, string][] = [
      // sirv's types (mrmime): UTF-8 is the default of JavaScript, JSON and CSS, named for HTML.
      ['/repo/', 'text/html;charset=utf-8'],
      ['/repo/app.js', 'text/javascript'],
      ['/repo/rows.json', 'application/json'],
      ['/repo/chart.svg', 'image/svg+xml'],
      ['/repo/style.css', 'text/css'],
      ['/repo/experiments/a/', 'text/html;charset=utf-8'],
    ];
    for (const [path, type] of cases) {
      const res = await get(server.url, path);
      expect([path, res.status, res.type]).toEqual([path, 200, type]);
    }
    expect((await get(server.url, '/repo/experiments/a/?q=1#x')).body).toBe('<h1>a</h1>');
  });

  it('serves a .gz file as the bytes it holds, with no Content-Encoding, as GitHub Pages does', async () => {
    const response = await fetch(new URL('traces-0.json.gz', server.url), { headers: { 'accept-encoding': 'identity' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/gzip');
    expect(response.headers.get('content-encoding')).toBeNull();
    expect(gunzipSync(Buffer.from(await response.arrayBuffer())).toString()).toBe('{"traces":[]}');
  });

  it('redirects folders to their slash form and the bare base to the base', async () => {
    expect(await get(server.url, '/repo/experiments/a?x=1')).toMatchObject({ status: 301, location: '/repo/experiments/a/?x=1' });
    expect(await get(server.url, '/repo')).toMatchObject({ status: 301, location: '/repo/' });
  });

  it('answers 404 with the site 404 page outside the base and for missing files', async () => {
    for (const path of ['/', '/other/index.html', '/repo/missing.json']) {
      const res = await get(server.url, path);
      expect([path, res.status, res.body]).toEqual([path, 404, '<h1>not here</h1>']);
    }
  });

  it('never serves a file outside the folder: .., encoded .., backslashes, symlinks, NUL', async () => {
    for (const path of [
      '/repo/../secret-sibling.txt',
      '/repo/%2e%2e/secret-sibling.txt',
      '/repo/%2E%2E%2Fsecret-sibling.txt',
      '/repo/..%5csecret-sibling.txt',
      '/repo/link.txt',
      '/repo/experiments/../../secret-sibling.txt',
    ]) {
      const res = await get(server.url, path);
      expect([path, res.status]).toEqual([path, 404]);
      expect(res.body).not.toContain('secret');
      expect(res.body).not.toContain('sibling');
    }
    expect((await get(server.url, '/repo/%00')).status).toBe(400);
    expect((await get(server.url, '/repo/%E0%A4%A')).status).toBe(400);
  });

  it('says which port is taken and what to do, when another server holds it', async () => {
    const port = Number(new URL(server.url).port);
    await expect(startStaticServer({ root: join(root, 'site'), port })).rejects.toThrow(
      `port ${port} on 127.0.0.1 is in use (another preview?): stop it, or pass --port <another>`,
    );
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await get(server.url, '/repo/rows.json', 'HEAD');
    expect([head.status, head.body]).toEqual([200, '']);
    expect((await get(server.url, '/repo/rows.json', 'POST')).status).toBe(405);
  });

  it('answers a repeated request with 304 and a byte range with 206 (sirv)', async () => {
    const first = await get(server.url, '/repo/rows.json');
    expect(first.etag).toBeTruthy();
    expect((await get(server.url, '/repo/rows.json', 'GET', { 'if-none-match': first.etag! })).status).toBe(304);
    const range = await get(server.url, '/repo/app.js', 'GET', { range: 'bytes=0-5' });
    expect([range.status, range.body]).toEqual([206, 'export']);
  });
});
