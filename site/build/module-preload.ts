import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { init, parse } from 'es-module-lexer';

/**
 * Adds `<link rel="modulepreload">` for every module a page's scripts import statically.
 *
 * Astro's build links only each page's entry scripts; the browser finds their chunks (format,
 * dom, fetch-json, …) one level at a time as each arrives, so opening a trace waited for a
 * chain of requests before any of its code ran. Listing the whole static import graph in the
 * head lets the browser fetch it at once. Dynamic imports (vega, the compare engine's worker)
 * stay lazy: they are not preloaded. `script-src 'self'` covers the links, as it does the scripts.
 */
export function modulePreload(): AstroIntegration {
  let base = '/';
  return {
    name: 'labbook-module-preload',
    hooks: {
      'astro:config:done': ({ config }) => {
        base = config.base.endsWith('/') ? config.base : `${config.base}/`;
      },
      'astro:build:done': async ({ dir, logger }) => {
        const { linked, pages } = await preloadModules(fileURLToPath(dir), base);
        logger.info(`module preloads on ${linked} of ${pages} pages`);
      },
    },
  };
}

/** Rewrites each built page under `root` (served at `base`) with its modulepreload links. */
export async function preloadModules(root: string, base: string): Promise<{ linked: number; pages: number }> {
  const pages = await htmlFiles(root);
  const graph = new StaticImports(root, base);
  let linked = 0;
  for (const page of pages) {
    const html = await readFile(page, 'utf8');
    const next = await withPreloads(html, (src) => graph.closure(src));
    if (next === html) continue;
    await writeFile(page, next);
    linked++;
  }
  return { linked, pages: pages.length };
}

const MODULE_SCRIPT = /<script type="module" src="([^"]+)"><\/script>/g;

/**
 * The page with a modulepreload link for each module its module scripts import statically and
 * that it does not already load as a script, placed before its first module script (pure but
 * for `dependencies`, which reads the build's files).
 */
export async function withPreloads(html: string, dependencies: (src: string) => Promise<string[]>): Promise<string> {
  const entries = [...html.matchAll(MODULE_SCRIPT)];
  if (entries.length === 0) return html;
  const scripts = new Set(entries.map((m) => m[1]!));
  const wanted = new Set<string>();
  for (const src of scripts) for (const dep of await dependencies(src)) if (!scripts.has(dep)) wanted.add(dep);
  if (wanted.size === 0) return html;
  const links = [...wanted].map((href) => `<link rel="modulepreload" href="${href}">`).join('');
  const at = entries[0]!.index!;
  return html.slice(0, at) + links + html.slice(at);
}

/** The static import graph of the built scripts, read once per file. */
class StaticImports {
  private readonly direct = new Map<string, Promise<string[]>>();

  constructor(
    private readonly root: string,
    private readonly base: string,
  ) {}

  /** Every module `src` (a URL path such as `/base/_astro/x.js`) reaches by static imports. */
  async closure(src: string): Promise<string[]> {
    const seen = new Set<string>();
    const queue = [src];
    while (queue.length > 0) {
      for (const dep of await this.imports(queue.pop()!)) {
        if (seen.has(dep) || dep === src) continue;
        seen.add(dep);
        queue.push(dep);
      }
    }
    return [...seen];
  }

  private imports(src: string): Promise<string[]> {
    let found = this.direct.get(src);
    if (!found) {
      found = this.read(src);
      this.direct.set(src, found);
    }
    return found;
  }

  private async read(src: string): Promise<string[]> {
    // Only same-site paths: the file is found under the output folder by its path after the base.
    if (!src.startsWith(this.base)) return [];
    const file = join(this.root, ...src.slice(this.base.length).split('/'));
    const code = await readFile(file, 'utf8').catch(() => null);
    if (code === null) return [];
    await init;
    const [imports] = parse(code, file);
    // d === -1 marks a static import; dynamic ones (d >= 0) and import.meta (-2) are left lazy.
    return imports
      .filter((i) => i.d === -1 && i.n !== undefined && i.n.startsWith('.'))
      .map((i) => new URL(i.n!, `http://site${src}`).pathname);
  }
}

/** The built pages: every `.html` file outside the run data and the bundled assets. */
async function htmlFiles(dir: string, top = true): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const skipped = top && (entry.name === 'data' || entry.name === '_astro' || entry.name === 'vendor');
    if (entry.isDirectory() && !skipped) found.push(...(await htmlFiles(path, false)));
    else if (entry.isFile() && entry.name.endsWith('.html')) found.push(path);
  }
  return found;
}
