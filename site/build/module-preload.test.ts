import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { preloadModules, withPreloads } from './module-preload.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function builtSite(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'labbook-preload-'));
  dirs.push(root);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

const page = (...srcs: string[]) =>
  `<!DOCTYPE html><html><head><title>t</title>${srcs.map((s) => `<script type="module" src="${s}"></script>`).join('')}</head><body></body></html>`;

describe('modulepreload links', () => {
  it('lists the whole static import graph of a page, once, before its first module script, and leaves dynamic imports lazy', async () => {
    const root = await builtSite({
      '_astro/page.js': 'import{a}from"./format.js";import"./dom.js";const v=()=>import("./vega.js");a(v);',
      '_astro/format.js': 'import{d}from"./dom.js";export const a=d;',
      '_astro/dom.js': 'import{e}from"./errors.js";export const d=e;',
      '_astro/errors.js': 'export const e=1;',
      '_astro/vega.js': 'import"./vega-dep.js";export default 1;',
      '_astro/vega-dep.js': '',
      'experiments/data/runs/r/trace/index.html': page('/proj/_astro/page.js'),
      // the run data: never a page, however it is named
      'data/x/index.html': page('/proj/_astro/page.js'),
    });
    expect(await preloadModules(root, '/proj/')).toEqual({ linked: 1, pages: 1 });
    const html = await readFile(join(root, 'experiments/data/runs/r/trace/index.html'), 'utf8');
    const links = [...html.matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map((m) => m[1]).sort();
    expect(links).toEqual(['/proj/_astro/dom.js', '/proj/_astro/errors.js', '/proj/_astro/format.js']);
    expect(html.indexOf('modulepreload')).toBeLessThan(html.indexOf('<script type="module"'));
    expect(await readFile(join(root, 'data/x/index.html'), 'utf8')).not.toContain('modulepreload');
  });

  it('does not preload what the page already loads as a script, nor modules outside the base', async () => {
    const deps = async (src: string) => (src === '/a.js' ? ['/b.js', '/c.js'] : []);
    const html = await withPreloads(page('/a.js', '/b.js'), deps);
    expect(html.match(/modulepreload/g)).toHaveLength(1);
    expect(html).toContain('<link rel="modulepreload" href="/c.js">');
    const root = await builtSite({ '_astro/p.js': 'import"./q.js";', '_astro/q.js': '', 'index.html': page('/elsewhere/_astro/p.js') });
    expect(await preloadModules(root, '/')).toEqual({ linked: 0, pages: 1 });
  });

  it('leaves a page without module scripts, or a script that is missing, as it was', async () => {
    expect(await withPreloads('<html><head></head></html>', async () => ['/x.js'])).toBe('<html><head></head></html>');
    const root = await builtSite({ 'index.html': page('/_astro/gone.js') });
    expect(await preloadModules(root, '/')).toEqual({ linked: 0, pages: 1 });
  });
});
