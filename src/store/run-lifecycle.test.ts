import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { makeTrace } from '../../test/helpers/make-trace.ts';
import { tempDir } from '../../test/helpers/temp-dir.ts';
import { validatePath } from '../validate/validate-data.ts';
import { finishRun } from './finish-run.ts';
import { createRun } from './run-writer.ts';
import { TraceWriter } from './trace-writer.ts';
import { readRunManifest } from './run-reader.ts';
import { readAllTraces } from '../../test/helpers/run-traces.ts';
import { findRun } from './store.ts';
import { readPlainTraces } from './trace-storage.ts';

const root = tempDir('labbook-store-');
const config = join(root, 'baseline.yaml');
writeFileSync(config, 'model: demo-model\nparams:\n  top_k: 3\n# a comment kept verbatim\n');
const local = { kind: 'local' as const, host: 'h', user: 'u' };
const code = { commit: 'abc', branch: 'main', dirty: false };

async function newRun(dataDir: string, traces: number) {
  const { dir, manifest } = await createRun({ dataDir, experiment: 'demo', configPath: config, source: local, code, rootDir: root });
  const writer = new TraceWriter(dir);
  for (let i = 1; i <= traces; i++) writer.append(makeTrace(i));
  writer.close();
  return { dir, manifest };
}

describe('a run from creation to seal', () => {
  it('creates the experiment, copies the config verbatim and starts as running', async () => {
    const dataDir = join(root, 'a');
    const { dir, manifest } = await newRun(dataDir, 0);
    expect(manifest.status).toBe('running');
    expect(manifest.config).toMatchObject({ path: 'baseline.yaml', name: 'baseline' });
    expect(readFileSync(join(dir, 'config.yaml'), 'utf8')).toBe(readFileSync(config, 'utf8'));
    expect(existsSync(join(dataDir, 'demo', 'experiment.yaml'))).toBe(true);
  });

  it('seals: metrics, counts, file digests and SHA256SUMS that validate accepts', async () => {
    const dataDir = join(root, 'b');
    const { dir, manifest } = await newRun(dataDir, 20);
    const result = await finishRun(dir);
    expect(result.errors).toEqual([]);
    expect(result.manifest.status).toBe('completed');
    expect(result.manifest.counts).toEqual({ traces: 20, errors: 0, spans: 40, scores: 40 });
    expect(Object.keys(result.manifest.files).sort()).toEqual(['config.yaml', 'metrics.json', 'traces/00000.jsonl.gz']);
    expect(existsSync(join(dir, 'traces.jsonl'))).toBe(false);
    expect(result.manifest.traceChunks).toMatchObject({
      plainDigest: expect.stringMatching(/^sha256:/),
      chunks: [{ file: 'traces/00000.jsonl.gz', traces: 20 }],
    });
    expect(result.metrics.scores.correct).toMatchObject({ kind: 'boolean', count: 20, mean: 0.75 });
    const sums = readFileSync(join(dir, 'SHA256SUMS'), 'utf8');
    expect(sums).toMatch(
      /^[0-9a-f]{64} {2}config\.yaml\n[0-9a-f]{64} {2}metrics\.json\n[0-9a-f]{64} {2}run\.json\n[0-9a-f]{64} {2}traces\/00000\.jsonl\.gz\n$/,
    );
    const report = await validatePath(dataDir);
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ experiments: 1, runs: 1, traces: 20 });
    expect((await findRun(dataDir, manifest.id.slice(0, 15))).runId).toBe(manifest.id);
  });

  it('detects a trace edited after the seal', async () => {
    const dataDir = join(root, 'c');
    const { dir } = await newRun(dataDir, 3);
    await finishRun(dir);
    const file = join(dir, 'traces/00000.jsonl.gz');
    writeFileSync(file, gzipSync(gunzipSync(readFileSync(file)).toString('utf8').replace('answer 2', 'answer 9')));
    const report = await validatePath(dir);
    expect(report.problems).toContainEqual(
      expect.objectContaining({ severity: 'error', file, message: expect.stringMatching(/does not match its SHA256SUMS/) }),
    );
  });

  it('keeps bad lines in place, reports file and line, and fails the run without losing good traces', async () => {
    const dataDir = join(root, 'd');
    const { dir } = await newRun(dataDir, 2);
    const file = join(dir, 'traces.jsonl');
    appendFileSync(file, '{"id": "broken", \n');
    appendFileSync(
      file,
      `${JSON.stringify({ ...makeTrace(3), spans: [{ id: 'x', parentId: null, name: 'n', type: 'NOT_A_TYPE', start: 0, end: 1 }] })}\n`,
    );
    appendFileSync(file, `${JSON.stringify(makeTrace(4))}\n`);
    const before = readFileSync(file, 'utf8');
    const result = await finishRun(dir);
    expect(result.manifest.status).toBe('failed');
    // Sealed, the lines live in the chunk, and the errors say where.
    const chunk = join(dir, 'traces/00000.jsonl.gz');
    expect(result.errors.map((e) => e.message)).toEqual([
      expect.stringMatching(new RegExp(`^${chunk}:3:\\d+: (malformed|truncated) JSON`)),
      expect.stringMatching(new RegExp(`^${chunk}:4: spans\\.0\\.type: Invalid option.*NOT_A_TYPE`)),
    ]);
    expect(result.manifest.counts.traces).toBe(3);
    expect(await readPlainTraces(dir)).toBe(before);
    expect((await readRunManifest(dir)).statusReason).toMatch(/2 invalid trace line/);
  });

  it('reports a 100 MB line by file and line without reading it whole, and keeps the traces around it', async () => {
    const dataDir = join(root, 'h');
    const { dir } = await newRun(dataDir, 2);
    const file = join(dir, 'traces.jsonl');
    appendFileSync(file, `{"id":"huge","input":"${'x'.repeat(100 * 1024 * 1024)}"}\n`);
    appendFileSync(file, `${JSON.stringify(makeTrace(3))}\n`);
    const result = await finishRun(dir);
    expect(result.errors.map((e) => e.message)).toEqual([
      expect.stringMatching(new RegExp(`^${join(dir, 'traces/00000.jsonl.gz')}:3: line is 1048576\\d+ bytes, over the limit`)),
    ]);
    expect(result.manifest.counts.traces).toBe(3);
    expect(result.manifest.status).toBe('failed');
  });

  it('writes a numeric example id as its text, the form every reader gives back', async () => {
    const { dir } = await createRun({ dataDir: join(root, 'numeric'), experiment: 'demo', configPath: config, source: local, code });
    const writer = new TraceWriter(dir);
    expect(writer.append({ ...makeTrace(1), exampleId: 3 }).exampleId).toBe('3');
    writer.close();
    expect(readFileSync(join(dir, 'traces.jsonl'), 'utf8')).toContain('"exampleId":"3"');
    expect((await finishRun(dir)).errors).toEqual([]);
    expect((await readAllTraces(dir)).map((trace) => trace.exampleId)).toEqual(['3']);
  });

  it('treats duplicate span ids and parent cycles as errors, orphans as warnings', async () => {
    const dataDir = join(root, 'e');
    const { dir } = await createRun({ dataDir, experiment: 'demo', configPath: config, source: local, code });
    const writer = new TraceWriter(dir);
    const base = makeTrace(1);
    writer.append({ ...base, id: 'orphan', spans: [{ id: 'a', parentId: 'missing', name: 'x', type: 'TOOL', start: 0, end: 1 }] });
    writer.append({ ...base, id: 'dup', spans: [base.spans![0]!, base.spans![0]!] });
    writer.append({
      ...base,
      id: 'cycle',
      spans: [
        { id: 'a', parentId: 'b', name: 'x', start: 0, end: 1 },
        { id: 'b', parentId: 'a', name: 'y', start: 0, end: 1 },
      ],
    });
    writer.close();
    const result = await finishRun(dir);
    expect(result.warnings).toEqual([expect.stringContaining('names parent "missing"')]);
    expect(result.errors.map((e) => e.detail)).toEqual([
      expect.stringContaining('appears more than once'),
      expect.stringContaining('cycle'),
    ]);
    expect(result.manifest.counts.traces).toBe(1);
    expect(await readAllTraces(dir)).toHaveLength(3);
  });

  it('refuses a config that is not a mapping before writing anything', async () => {
    const dataDir = join(root, 'f');
    const list = join(root, 'list.yaml');
    writeFileSync(list, '- a\n- b\n');
    await expect(createRun({ dataDir, experiment: 'demo', configPath: list, source: local, code })).rejects.toThrow(
      /list\.yaml:1: expected a YAML mapping/,
    );
    expect(existsSync(join(dataDir, 'demo'))).toBe(false);
  });

  it('refuses names that would leave the data folder', async () => {
    await expect(createRun({ dataDir: join(root, 'g'), experiment: '../escape', configPath: config, source: local, code })).rejects.toThrow(
      /invalid experiment name/,
    );
    await expect(
      createRun({ dataDir: join(root, 'g'), experiment: 'demo', runId: '../x', configPath: config, source: local, code }),
    ).rejects.toThrow(/invalid run name/);
  });
});
