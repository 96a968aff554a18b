import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Trace } from '../../schemas/trace.ts';
import { streamTraces } from '../../src/store/run-reader.ts';

/**
 * The traces of a run committed to a git ref, as the plain JSON Lines they were written as:
 * its chunks (`traces/*.jsonl.gz`) decompressed in order, or an old run's `traces.jsonl`.
 */
export function tracesOnRef(repoDir: string, ref: string, runPath: string): string {
  const listed = execFileSync('git', ['ls-tree', '-r', '--name-only', ref, `${runPath}/`], { cwd: repoDir, encoding: 'utf8' })
    .trim()
    .split('\n');
  const chunks = listed.filter((path) => /\/traces\/\d{5}\.jsonl\.gz$/.test(path)).sort();
  if (chunks.length === 0) return execFileSync('git', ['show', `${ref}:${runPath}/traces.jsonl`], { cwd: repoDir, encoding: 'utf8' });
  return chunks
    .map((path) => gunzipSync(execFileSync('git', ['show', `${ref}:${path}`], { cwd: repoDir, maxBuffer: 1 << 30 })).toString('utf8'))
    .join('');
}

/** A run folder's traces as plain JSON Lines, from its chunks or its plain file (synchronous, for small test runs). */
export function plainTracesSync(runDir: string): string {
  const chunkDir = join(runDir, 'traces');
  if (!existsSync(chunkDir)) return readFileSync(join(runDir, 'traces.jsonl'), 'utf8');
  return readdirSync(chunkDir)
    .filter((name) => name.endsWith('.jsonl.gz'))
    .sort()
    .map((name) => gunzipSync(readFileSync(join(chunkDir, name))).toString('utf8'))
    .join('');
}

/** Every trace of a run folder (or traces file) in memory, as the store streams them. */
export async function readAllTraces(dirOrFile: string): Promise<Trace[]> {
  const traces: Trace[] = [];
  for await (const trace of streamTraces(dirOrFile)) traces.push(trace);
  return traces;
}
