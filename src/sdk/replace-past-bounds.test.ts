// A value past VALUE_LIMITS (too long, too deep, or a line too big with every value within its
// own bounds) costs the trace that value alone: its spans, scores and other values are kept.
import { rm } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VALUE_LIMITS } from '../../schemas/value-limits.ts';
import { readPlainTraces } from '../store/trace-storage.ts';
import { runCli } from '../../test/helpers/run-cli.ts';
import { evaluators, span } from './index.ts';
import type { Run } from './run.ts';
import { scratchRun } from '../../test/helpers/scratch-run.ts';

let tmp: string;
let run: Run;

beforeEach(async () => {
  ({ tmp, run } = await scratchRun('labbook-sdk-bounds-'));
});
afterEach(() => rm(tmp, { recursive: true, force: true }));

type Line = Record<string, unknown> & {
  spans: Array<Record<string, unknown>>;
  scores: Array<Record<string, unknown>>;
  error?: string;
};

/** Seals the run, checks that `labbook validate` accepts it, and reads back its traces. */
async function sealAndRead(): Promise<Line[]> {
  const result = await run.finish();
  expect(result!.errors).toEqual([]);
  expect(result!.manifest.status).toBe('completed');
  const validated = await runCli(['validate'], { cwd: tmp });
  expect(validated.stderr).toBe('');
  expect(validated.code).toBe(0);
  const lines = (await readPlainTraces(run.dir)).trim().split('\n');
  for (const line of lines) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(VALUE_LIMITS.lineBytes);
  return lines.map((line) => JSON.parse(line) as Line);
}

const tooLong = 'x'.repeat(VALUE_LIMITS.stringLength + 1);
const LONG_MESSAGE = `a string of ${VALUE_LIMITS.stringLength + 1} characters, over the limit of ${VALUE_LIMITS.stringLength}`;

/** `{ a: { a: … } }`, `levels` objects deep. */
function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: true };
  for (let i = 1; i < levels; i++) value = { a: value };
  return value;
}

/** How many objects deep a value is, following `a`, and what it holds at the bottom. */
function depthOf(value: unknown): { depth: number; bottom: unknown } {
  let depth = 0;
  let at = value;
  while (at !== null && typeof at === 'object') {
    depth++;
    at = (at as { a?: unknown; leaf?: unknown }).a ?? (at as { leaf?: unknown }).leaf;
  }
  return { depth, bottom: at };
}

describe('an output past a bound', () => {
  it('is replaced by what it was, and the trace keeps its input, spans and scores; run.map goes on', async () => {
    const traces = await run.map(
      [
        { id: 'big', input: 'q1', expected: 'a' },
        { id: 'small', input: 'q2', expected: 'a' },
      ],
      async (example, t) => {
        await span('agent', 'AGENT', async (s) => s.setInputs(example.input).setOutputs('thinking'));
        t.score('inline', 1);
        return example.id === 'big' ? tooLong : 'a';
      },
      { evaluators: [evaluators.exactMatch()] },
    );
    expect(traces.map((t) => [t.exampleId, t.status])).toEqual([
      ['big', 'error'],
      ['small', 'ok'],
    ]);
    const [big, small] = await sealAndRead();
    expect(big).toMatchObject({
      id: traces[0]!.id,
      input: 'q1',
      expected: 'a',
      output: `[not recorded: ${LONG_MESSAGE}]`,
      status: 'error',
    });
    // The evaluators saw the real output; the scores are kept with the spans.
    expect(big!.scores.map((s) => [s.name, s.value])).toEqual([
      ['inline', 1],
      ['exact_match', false],
    ]);
    expect(big!.spans).toMatchObject([{ name: 'agent', inputs: 'q1', outputs: 'thinking', status: 'ok' }]);
    expect(big!.error).toBe(
      `the trace could not be recorded as given (output: ${LONG_MESSAGE}): what was past the limit is recorded as "[not recorded: …]" and the rest of the trace is kept`,
    );
    expect(small).toMatchObject({ output: 'a', status: 'ok' });
  });

  it('reads like an input past a bound, which keeps the rest of its trace too', async () => {
    await run.trace({ id: 'in', input: tooLong }, (t) => {
      t.score('inline', true);
      return 'fine';
    });
    const [line] = await sealAndRead();
    expect(line).toMatchObject({ input: `[not recorded: ${LONG_MESSAGE}]`, output: 'fine', status: 'error', scores: [{ value: true }] });
    expect(line!.error).toContain(`(input: ${LONG_MESSAGE})`);
  });

  it('keeps the error the traced function threw, before what was not recorded', async () => {
    await run.trace({ input: 1 }, (t) => {
      t.setOutput(tooLong);
      throw new TypeError('agent broke');
    });
    const [line] = await sealAndRead();
    expect(line!.error).toMatch(/^TypeError: agent broke\nthe trace could not be recorded as given \(output: a string of/);
  });
});

describe('expected values, metadata, span values and attributes past a bound', () => {
  it('are each replaced where they are, naming their field', async () => {
    await run.trace(
      { id: 'e', input: 'q', expected: tooLong, note: 'kept' },
      async (t) => {
        await span('tool', 'TOOL', async (s) => {
          s.setInputs({ query: tooLong }).setOutputs([1, 2]);
          s.setAttributes({ small: 1, large: tooLong });
          s.addEvent('chunk', { text: tooLong, n: 2 });
        });
        t.setMetadata({ blob: tooLong });
        return 'ok';
      },
      { metadata: { run: 'r1' } },
    );
    const [line] = await sealAndRead();
    const marker = `[not recorded: ${LONG_MESSAGE}]`;
    expect(line).toMatchObject({
      input: 'q',
      output: 'ok',
      expected: marker,
      metadata: { note: 'kept', run: 'r1', blob: marker },
      status: 'error',
    });
    expect(line!.spans[0]).toMatchObject({
      name: 'tool',
      inputs: marker,
      outputs: [1, 2],
      attributes: { small: 1, large: marker },
      events: [{ name: 'chunk', attributes: { text: marker, n: 2 } }],
    });
    for (const field of [
      'expected',
      'metadata.blob',
      'spans.0.inputs.query',
      'spans.0.attributes.large',
      'spans.0.events.0.attributes.text',
    ]) {
      expect(line!.error).toContain(`${field}: ${LONG_MESSAGE}`);
    }
  });
});

describe('a value nested past the depth limit', () => {
  it('is kept cut at the limit, saying so there, and the trace keeps the rest', async () => {
    await run.trace({ input: 'q' }, async (t) => {
      await span('deep', 'TOOL', (s) => s.setOutputs(nested(300)));
      t.score('inline', 0.5);
      return nested(200);
    });
    const [line] = await sealAndRead();
    const cutMarker = `[not recorded: nested deeper than ${VALUE_LIMITS.depth} levels]`;
    // The trace is level 1 and the output level 2: the output keeps 127 levels, its span's outputs 125.
    expect(depthOf(line!.output)).toEqual({ depth: VALUE_LIMITS.depth - 1, bottom: cutMarker });
    expect(depthOf(line!.spans[0]!.outputs)).toEqual({ depth: VALUE_LIMITS.depth - 3, bottom: cutMarker });
    expect(line).toMatchObject({ input: 'q', status: 'error', scores: [{ name: 'inline', value: 0.5 }] });
    expect(line!.error).toMatch(/output\.a\.a\.a\.a\.a\.…\(\d+ more\)…\.a\.a\.a\.a\.a\.a: nested deeper than 128 levels, cut there/);
    expect(line!.error).toContain('spans.0.outputs.a.');
  });
});

describe('a trace whose line is too big with each value within its own bounds', () => {
  it('has its largest values replaced until the line fits, and keeps the others', { timeout: 120_000 }, async () => {
    const part = 'y'.repeat(15 * 1024 * 1024);
    await run.trace({ id: 'huge', input: part }, async () => {
      await span('step', 'LLM', (s) => s.setOutputs(part));
      return [part, part, part];
    });
    await run.trace({ id: 'next', input: 'q' }, () => 'a');
    const [line, next] = await sealAndRead();
    const outputBytes = Buffer.byteLength(JSON.stringify([part, part, part]));
    const message = `${outputBytes} bytes as JSON, more than the trace's line can hold with the rest (${VALUE_LIMITS.lineBytes} bytes)`;
    expect(line!.output).toBe(`[not recorded: ${message}]`);
    expect((line!.input as string).length).toBe(part.length);
    expect((line!.spans[0]!.outputs as string).length).toBe(part.length);
    expect(line!.status).toBe('error');
    expect(line!.error).toContain(`(output: ${message})`);
    expect(next).toMatchObject({ output: 'a', status: 'ok' });
  });
});
