import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { finishRun } from '../../src/store/finish-run.ts';
import { writeRun } from '../helpers/analysis-store.ts';
import { runCli, type CliResult } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';

/**
 * Runs sealed before traces were compressed keep a plain traces.jsonl. Every reading command
 * must answer the same from them as from the same runs once `labbook compact` has compressed
 * them: the outputs below are compared before and after, byte for byte.
 */
const root = tempDir('labbook-old-runs-');
const dataDir = join(root, 'experiments');
let a = '';
let b = '';

beforeAll(async () => {
  mkdirSync(join(root, '.git'));
  for (const variant of [0, 1]) {
    const run = await writeRun(root, dataDir, { variant, traces: 40, unfinished: true });
    // Sealed as earlier versions sealed: no chunks.
    await finishRun(run.dir, { chunking: false, now: new Date(Date.UTC(2026, 0, 2 + variant)) });
    if (variant === 0) a = run.id;
    else b = run.id;
  }
});

const cli = (...argv: string[]) => runCli([...argv, '--data', dataDir], { cwd: root });
const out = (file: string) => readFileSync(join(root, file), 'utf8');

/** What each reading command says, with files written read back. */
async function answers(tag: string): Promise<Record<string, string>> {
  const ok = (result: CliResult, what: string) => {
    expect(result.code, `${what}: ${result.stderr}`).toBe(0);
    return result.stdout;
  };
  const results: Record<string, string> = {
    validate: ok(await cli('validate'), 'validate'),
    show: ok(await cli('show', a, '--json'), 'show'),
    compare: ok(await cli('compare', a, b, '--format', 'json'), 'compare'),
    query: ok(await cli('query', '--run', a, '--run', b, '--by', 'model', '--format', 'json'), 'query'),
    plan: ok(await cli('plan', '--run', a, '--metric', 'correct', '--mde', '0.1'), 'plan'),
  };
  ok(await cli('export', 'csv', '--compare', `${a},${b}`, '-o', `cmp-${tag}.csv`), 'export csv');
  results.csv = out(`cmp-${tag}.csv`);
  ok(await cli('export', 'otlp', '--run', b, '-o', `b-${tag}.json`), 'export otlp');
  results.otlp = out(`b-${tag}.json`);
  ok(await cli('annotations', 'check'), 'annotations check');
  return results;
}

describe('runs sealed before compression', () => {
  it('answer every reading command exactly as the same runs do once compacted', async () => {
    expect(existsSync(join(dataDir, 'demo', 'runs', a, 'traces.jsonl'))).toBe(true);
    const before = await answers('plain');
    const plainDigest = `sha256:${JSON.parse(before.show!).run.files['traces.jsonl']}`;

    expect((await cli('show', a)).stdout).toMatch(
      /traces\s+traces\.jsonl, [\d.]+ KiB \(sealed before compression: "labbook compact" compresses it\)/,
    );
    // A dry run lists exactly what the real one compacts: not a run with no traces at all.
    const empty = await writeRun(root, dataDir, { variant: 2, traces: 0, unfinished: true });
    rmSync(join(empty.dir, 'traces.jsonl'), { force: true }); // its command never started
    await finishRun(empty.dir, { chunking: false, status: 'failed', statusReason: 'the command could not start' });
    const dry = await cli('compact', '--dry-run');
    expect(dry.stdout.trim().split('\n').sort(), dry.stdout).toEqual(
      [`would compact ${a} (${join(dataDir, 'demo', 'runs', a)})`, `would compact ${b} (${join(dataDir, 'demo', 'runs', b)})`].sort(),
    );
    rmSync(empty.dir, { recursive: true }); // the answers below compare the two runs only
    const compacted = await cli('compact');
    expect(compacted.stdout).toMatch(/^2 runs compacted: /m);
    expect(existsSync(join(dataDir, 'demo', 'runs', a, 'traces.jsonl'))).toBe(false);
    expect(existsSync(join(dataDir, 'demo', 'runs', a, 'traces', '00000.jsonl.gz'))).toBe(true);

    const after = await answers('chunks');
    expect((await cli('show', a)).stdout).toMatch(/traces\s+1 gzip chunk in traces\/, [\d.]+ KiB \([\d.]+ KiB as JSON, 0\.\d+×\)/);
    for (const key of ['validate', 'compare', 'query', 'plan', 'csv', 'otlp']) expect(after[key], key).toBe(before[key]);
    // show differs only by what compaction records: the chunks and their digests.
    const strip = (text: string) => {
      const json = JSON.parse(text);
      delete json.run.traceChunks;
      json.run.files = Object.keys(json.run.files).filter((f) => f !== 'traces.jsonl' && !f.startsWith('traces/'));
      return JSON.stringify(json);
    };
    expect(strip(after.show!)).toBe(strip(before.show!));
    // Compression kept every byte: the chunks hold what traces.jsonl held.
    expect(JSON.parse(after.show!).run.traceChunks.plainDigest).toBe(plainDigest);
  });
});
