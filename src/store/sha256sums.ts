import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FileFormatError } from '../errors/index.ts';
import { sha256File, sha256Hex, toDigest } from './digest.ts';
import { RUN_FILES } from './layout.ts';
import { chunksOnDisk, isChunkPath } from './trace-storage.ts';

/** `SHA256SUMS` in GNU coreutils' format (`sha256sum -c` checks it): `<hex>  <file>` per line. */
export function formatSha256Sums(sums: Record<string, string>): string {
  return Object.keys(sums)
    .sort()
    .map((file) => `${sums[file]}  ${file}\n`)
    .join('');
}

export function parseSha256Sums(text: string, file: string): Record<string, string> {
  const sums: Record<string, string> = {};
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const match = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (!match) throw new FileFormatError({ file, line: index + 1 }, 'expected "<64 hex digits>  <file name>"');
    const name = match[2]!;
    if ((name.includes('/') && !isChunkPath(name)) || name.startsWith('.')) {
      throw new FileFormatError(
        { file, line: index + 1 },
        `file name "${name}" must be a plain name inside the run folder, or a trace chunk traces/<5 digits>.jsonl.gz`,
      );
    }
    sums[name] = match[1]!;
  });
  return sums;
}

/**
 * sha256 of every regular file of a run folder except `SHA256SUMS` itself and temp files, and of
 * each trace chunk under `traces/` (named by its path, `traces/00000.jsonl.gz`).
 * `known` holds digests already computed in another pass (traces.jsonl while it was read).
 */
export async function hashRunFiles(dir: string, known: Record<string, string> = {}): Promise<Record<string, string>> {
  const sums: Record<string, string> = {};
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isFile() || entry.name === RUN_FILES.sums || entry.name.endsWith('.tmp')) continue;
    sums[entry.name] = known[entry.name] ?? (await sha256File(join(dir, entry.name)));
  }
  for (const path of await chunksOnDisk(dir)) sums[path] = known[path] ?? (await sha256File(join(dir, path)));
  return sums;
}

/**
 * The digest that stands for a whole run: the sha256 of its SHA256SUMS, which lists the sha256 of
 * every other file (run.json and each trace chunk included).
 */
export async function sumsDigest(dir: string): Promise<string> {
  return toDigest(sha256Hex(await readFile(join(dir, RUN_FILES.sums))));
}

export interface SumsMismatch {
  file: string;
  problem: 'changed' | 'missing' | 'unlisted';
}

/**
 * Compares a run folder with its `SHA256SUMS`: files changed, missing, or added after the fact.
 * Files named in `deferred` are taken as listed (when present) and not hashed: the caller hashes
 * them in a pass of its own and compares then (compaction, which reads traces.jsonl anyway).
 */
export async function verifyRunFiles(dir: string, options: { deferred?: string[] } = {}): Promise<SumsMismatch[]> {
  const sumsFile = join(dir, RUN_FILES.sums);
  const recorded = parseSha256Sums(await readFile(sumsFile, 'utf8'), sumsFile);
  const known: Record<string, string> = {};
  for (const file of options.deferred ?? []) if (recorded[file] !== undefined && existsSync(join(dir, file))) known[file] = recorded[file];
  const actual = await hashRunFiles(dir, known);
  const mismatches: SumsMismatch[] = [];
  for (const [file, hex] of Object.entries(recorded)) {
    if (!(file in actual)) mismatches.push({ file, problem: 'missing' });
    else if (actual[file] !== hex) mismatches.push({ file, problem: 'changed' });
  }
  for (const file of Object.keys(actual)) if (!(file in recorded)) mismatches.push({ file, problem: 'unlisted' });
  return mismatches;
}
