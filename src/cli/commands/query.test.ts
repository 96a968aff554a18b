import { join } from 'node:path';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/temp-dir.ts';
import { fixtureTrace, writeRun, type FixtureRun } from '../../../test/helpers/analysis-store.ts';
import { main } from '../main.ts';

const root = tempDir('labbook-query-');
const dataDir = join(root, 'experiments');
let runA: FixtureRun;
let runB: FixtureRun;

beforeAll(async () => {
  runA = await writeRun(root, dataDir, { variant: 0, traces: 20 });
  runB = await writeRun(root, dataDir, { variant: 1, traces: 20 });
});

async function query(...args: string[]) {
  let out = '';
  let err = '';
  const code = await main(['query', '--data', dataDir, ...args], {
    stdout: (t) => (out += `${t}\n`),
    stderr: (t) => (err += `${t}\n`),
    cwd: root,
  });
  return { code, out, err };
}

describe('labbook query', () => {
  it('prints tokens by span type as a table, largest first', async () => {
    const { code, out } = await query('--run', runA.id, '--by', 'span-type');
    expect(code).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^span-type\s+calls\s+input\s+output\s+total tokens\s+share$/);
    // LLM tokens: input 100 + i, output 20 + (i % 7) for i = 1..20 → 2210 + 463 = 2673.
    expect(lines[2]).toMatch(/^LLM\s+20\s+2,210\s+463\s+2,673\s+100\.0%$/);
    expect(out).toContain(`${runA.id}: 90 spans in 20 traces`);
  });

  it('puts two runs side by side in JSON with every figure', async () => {
    const { code, out } = await query(
      '--run',
      runA.id,
      '--run',
      runB.id.slice(0, -3),
      '--by',
      'model',
      '--format',
      'json',
      '--metric',
      'cost',
    );
    expect(code).toBe(0);
    const result = JSON.parse(out);
    expect(result.runs.map((r: { id: string }) => r.id)).toEqual([runA.id, runB.id]);
    // variant 1 pays for 50 more input tokens per call at 1e-5 $/token: the large model costs more.
    expect(result.rows.map((r: { key: string; run: string }) => [r.key, r.run])).toEqual([
      ['large-model', runB.id],
      ['small-model', runA.id],
    ]);
    expect(result.rows[0].value).toBeCloseTo(
      Array.from({ length: 20 }, (_, k) => (150 + k + 1) * 1e-5).reduce((a, b) => a + b),
      10,
    );
    expect(result.rows[0].latencyMs).toMatchObject({ count: 20 });
  });

  it('writes CSV by tool with latency', async () => {
    const { out } = await query('--run', runA.id, '--by', 'tool', '--metric', 'calls', '--format', 'csv');
    const parsed = Papa.parse<string[]>(out.trim()).data;
    expect(parsed[0]!.slice(0, 6)).toEqual(['run', 'tool', 'value', 'share', 'calls', 'errors']);
    expect(parsed.slice(1).map((r) => [r[1], r[4], r[5]])).toEqual([
      ['calculator', '20', '4'],
      ['table_lookup', '10', '0'],
    ]);
  });

  it('says what it looked for when nothing matches, rather than printing a bare header', async () => {
    const plain = await writeRun(root, dataDir, {
      variant: 2,
      traces: 2,
      trace: (i, variant) => {
        const { spans, ...trace } = fixtureTrace(i, variant);
        return {
          ...trace,
          spans: (spans ?? []).filter((span) => span.type !== 'TOOL' && span.type !== 'CHAT_MODEL' && span.model === undefined),
        };
      },
    });
    const tools = await query('--run', plain.id, '--by', 'tool');
    expect(tools.code).toBe(0);
    expect(tools.out).toContain(`traces\nno tool calls in these runs (spans of type TOOL)`);
    expect((await query('--run', plain.id, '--by', 'model')).out).toContain('no span names a model');
    expect((await query('--run', runA.id, '--by', 'tool')).out).not.toContain('no tool calls');
    // Runs as arguments, as compare and show take them, or mixed with --run: the same table.
    const flagged = await query('--run', runA.id, '--run', plain.id, '--by', 'name');
    expect(await query(runA.id, plain.id, '--by', 'name')).toEqual(flagged);
    expect(await query(runA.id, '--run', plain.id, '--by', 'name')).toEqual(flagged);
  });

  it('refuses bad arguments and unknown runs with a clear message', async () => {
    expect(await query('--by', 'model')).toMatchObject({
      code: 2,
      err: expect.stringContaining('give at least one run: labbook query <run>...'),
    });
    expect(await query('--run', runA.id, '--by', 'colour')).toMatchObject({
      code: 2,
      err: expect.stringContaining('--by must be one of span-type, model, tool, name, judge, not "colour"'),
    });
    expect(await query('--run', runA.id)).toMatchObject({ code: 2, err: expect.stringContaining('--by is required') });
    expect(await query('--run', 'nope-nope', '--by', 'name')).toMatchObject({
      code: 1,
      err: expect.stringContaining('run not found: nope-nope'),
    });
    expect(await query('--run', runA.id, '--run', runA.id, '--by', 'name')).toMatchObject({
      code: 2,
      err: expect.stringContaining('given more than once'),
    });
  });
});
