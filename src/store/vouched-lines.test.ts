import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTrace } from '../../test/helpers/make-trace.ts';
import { tempDir } from '../../test/helpers/temp-dir.ts';
import { traceSchema } from '../../schemas/trace.ts';
import { finishRun } from './finish-run.ts';
import { createRun, TraceWriter } from './run-writer.ts';
import { VouchedLines } from './vouched-lines.ts';

const root = tempDir('labbook-vouched-');
const config = join(root, 'agent.yaml');
writeFileSync(config, 'model: demo-model\n');

/** A run of `count` traces written as checked lines, each vouched for as the OTLP session does. */
async function run(name: string, count: number) {
  const { dir } = await createRun({
    dataDir: join(root, name),
    experiment: 'demo',
    configPath: config,
    source: { kind: 'local', host: 'h', user: 'u' },
    code: { commit: 'abc', branch: 'main', dirty: false },
    rootDir: root,
  });
  const writer = new TraceWriter(dir);
  const vouched = new VouchedLines();
  for (let i = 1; i <= count; i++) {
    const line = JSON.stringify(traceSchema.parse(makeTrace(i)));
    writer.appendLine(line);
    vouched.add(line);
  }
  writer.close();
  return { dir, vouched };
}

describe('sealing lines this process vouched for', () => {
  it('gives the same run as parsing every line with the schema', async () => {
    const a = await run('a', 30);
    const b = await run('b', 30);
    const fast = await finishRun(a.dir, { vouched: a.vouched, now: new Date(0) });
    const slow = await finishRun(b.dir, { now: new Date(0) });
    expect(fast.metrics).toStrictEqual(slow.metrics);
    expect(fast.manifest.counts).toStrictEqual(slow.manifest.counts);
    expect([fast.errors, fast.warnings]).toStrictEqual([slow.errors, slow.warnings]);
  });

  it('trusts no line changed since it was written: a changed line is checked, and refused when invalid', async () => {
    const { dir, vouched } = await run('c', 3);
    const file = join(dir, 'traces.jsonl');
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[1] = lines[1]!.replace('"durationMs":', '"durationMs":-'); // still JSON, no longer a trace
    writeFileSync(file, lines.join('\n'));
    const result = await finishRun(dir, { vouched });
    expect(result.manifest.counts).toMatchObject({ traces: 2 });
    expect(result.manifest.status).toBe('failed');
    expect(result.errors[0]!.message).toMatch(/:2: durationMs: Too small/);
  });
});
