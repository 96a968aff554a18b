import { existsSync } from 'node:fs';
import { copyFile, link, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { sha256Hex } from '#lib/store/digest.ts';
import { sumsDigest } from '#lib/store/sha256sums.ts';
import { RUN_FILES } from '#lib/store/layout.ts';
import { TOOL_VERSION } from '#lib/store/version.ts';
import { errorMessage } from '#lib/errors/error-message.ts';

/**
 * The site build's per-run cache: what the data pass and the CSV pass wrote for a sealed run
 * (`data/<experiment>/<run>/`: rows, index, trace chunks, meta, annotations, traces.csv),
 * kept under a key made of everything those files are made from: the run's content digest
 * (sha256 of SHA256SUMS, which covers run.json, metrics, config and every trace chunk), the
 * experiment's definition, the run's annotations, the site's repository links and this
 * version of Labbook. A rebuild restores an unchanged run's folder instead of reading its traces
 * again. The folder is plain files, so a Pages workflow keeps it with `actions/cache`.
 *
 *     <cache>/<experiment>/<run>/<key>/{entry.json, files/…}
 *
 * A corrupt or partial entry is never trusted: it is named in a warning, removed, and the run is
 * built from its traces as if there were no cache. Nothing in the cache is the only copy of
 * anything: it can always be deleted.
 */
interface CachedRun<Summary> {
  summary: Summary;
}

/**
 * Part of every key: raise it when what the data pass writes changes within one Labbook version,
 * so entries built before are not restored without it. 2: judges beside people (annotations.json
 * `judges`, the rows' `judgeDisagreements`, the summary's `judges`). 3: the traces table in gzip'd
 * pages (rows-<k>.json.gz) instead of one rows.json.
 */
const ENTRY_FORMAT = 3;

interface EntryFile<Summary> {
  format: typeof ENTRY_FORMAT;
  key: string;
  summary: Summary;
  /** Every file of the entry with its size, relative to `files/`: a partial copy is detected. */
  files: Array<{ path: string; bytes: number }>;
}

export class SiteRunCache<Summary> {
  readonly #dir: string;
  readonly #warn: (message: string) => void;
  readonly #live = new Set<string>();
  hits = 0;
  misses = 0;

  constructor(dir: string, warn: (message: string) => void) {
    this.#dir = dir;
    this.#warn = warn;
  }

  /**
   * The key of a run's site files, or null when the run cannot be cached (not sealed: a running
   * run has no SHA256SUMS and its traces still grow).
   */
  async key(runDir: string, inputs: unknown): Promise<string | null> {
    if (!existsSync(join(runDir, RUN_FILES.sums))) return null;
    const content = await sumsDigest(runDir);
    return sha256Hex(canonicalJson({ tool: TOOL_VERSION, format: ENTRY_FORMAT, content, inputs })).slice(0, 32);
  }

  /** Copies a cached run folder into `target` and returns its summary, or null on a miss. */
  async restore(experiment: string, run: string, key: string, target: string): Promise<CachedRun<Summary> | null> {
    const entryDir = join(this.#dir, experiment, run, key);
    this.#live.add(join(experiment, run, key));
    const entryFile = join(entryDir, 'entry.json');
    if (!existsSync(entryFile)) {
      this.misses++;
      return null;
    }
    try {
      const entry = JSON.parse(await readFile(entryFile, 'utf8')) as EntryFile<Summary>;
      if (entry.format !== ENTRY_FORMAT || entry.key !== key || !Array.isArray(entry.files))
        throw new Error('not an entry of this key and format');
      for (const file of entry.files) {
        const size = await stat(join(entryDir, 'files', file.path)).then(
          (s) => s.size,
          () => -1,
        );
        if (size !== file.bytes) throw new Error(`${file.path} is ${size < 0 ? 'missing' : `${size} bytes, not ${file.bytes}`}`);
      }
      await rm(target, { recursive: true, force: true });
      await mkdir(target, { recursive: true });
      await linkFiles(join(entryDir, 'files'), target, entry.files);
      this.hits++;
      return { summary: entry.summary };
    } catch (error) {
      this.#warn(
        `site cache: ${entryFile} is unusable (${errorMessage(error)}); removed, and run ${experiment}/${run} is built from its traces`,
      );
      await rm(entryDir, { recursive: true, force: true });
      this.misses++;
      return null;
    }
  }

  /** Keeps a run folder the build just wrote, written aside and renamed in whole. */
  async save(experiment: string, run: string, key: string, source: string, summary: Summary): Promise<void> {
    const entryDir = join(this.#dir, experiment, run, key);
    const temp = `${entryDir}.${process.pid}.tmp`;
    try {
      await rm(temp, { recursive: true, force: true });
      await mkdir(temp, { recursive: true });
      const files = await listFiles(source);
      await linkFiles(source, join(temp, 'files'), files);
      const entry: EntryFile<Summary> = { format: ENTRY_FORMAT, key, summary, files };
      await writeFile(join(temp, 'entry.json'), JSON.stringify(entry));
      await rm(entryDir, { recursive: true, force: true });
      await rename(temp, entryDir);
      this.#live.add(join(experiment, run, key));
    } catch (error) {
      // A cache that cannot be written costs the next build time, never this build.
      await rm(temp, { recursive: true, force: true });
      this.#warn(`site cache: could not keep ${experiment}/${run} in ${this.#dir}: ${errorMessage(error)}`);
    }
  }

  /** Removes entries no run of this build used: older keys of a run, runs that are gone. */
  async prune(): Promise<number> {
    let removed = 0;
    for (const experiment of await names(this.#dir)) {
      for (const run of await names(join(this.#dir, experiment))) {
        for (const key of await names(join(this.#dir, experiment, run))) {
          if (this.#live.has(join(experiment, run, key))) continue;
          await rm(join(this.#dir, experiment, run, key), { recursive: true, force: true });
          removed++;
        }
      }
    }
    return removed;
  }
}

/**
 * Puts `files` (paths relative to `from`) under `to` as hard links: an entry's files are never
 * written in place (the build writes fresh files, and rewrites one only by renaming a new file
 * over it), so site and cache can share them, and a rebuild restores a run of 200 files without
 * copying its bytes. Where a link cannot be made (another filesystem), the file is copied.
 */
async function linkFiles(from: string, to: string, files: ReadonlyArray<{ path: string }>): Promise<void> {
  const folders = new Set(files.map((f) => dirname(join(to, f.path))));
  for (const folder of folders) await mkdir(folder, { recursive: true });
  await Promise.all(
    files.map(async ({ path }) => {
      const source = join(from, path);
      const target = join(to, path);
      await link(source, target).catch(() => copyFile(source, target));
    }),
  );
}

async function names(dir: string): Promise<string[]> {
  return (await readdir(dir, { withFileTypes: true }).catch(() => [])).filter((e) => e.isDirectory()).map((e) => e.name);
}

async function listFiles(root: string, prefix = ''): Promise<Array<{ path: string; bytes: number }>> {
  const files: Array<{ path: string; bytes: number }> = [];
  for (const entry of await readdir(join(root, prefix), { withFileTypes: true })) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...(await listFiles(root, path)));
    else if (entry.isFile()) files.push({ path, bytes: (await stat(join(root, path))).size });
  }
  return files;
}

/** JSON with object keys sorted, so equal inputs give equal keys whatever their key order. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof Map) return [...v.entries()];
    if (v instanceof Set) return [...v.values()];
    if (v && typeof v === 'object' && !Array.isArray(v))
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return v;
  });
}
