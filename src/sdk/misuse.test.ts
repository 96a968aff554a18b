// What a newcomer gets wrong with the SDK, and what they get back: a UsageError that names the
// mistake before anything is recorded, or the trace kept — never a run that silently lost work.
import { rm } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FinishInsideTraceError, UsageError } from '../errors/index.ts';
import { VALUE_LIMITS } from '../../schemas/value-limits.ts';
import { readPlainTraces } from '../store/trace-storage.ts';
import { evaluators, span, startRun } from './index.ts';
import type { Run } from './run.ts';
import { scratchRun } from '../../test/helpers/scratch-run.ts';

let tmp: string;
let run: Run;

beforeEach(async () => {
  ({ tmp, run } = await scratchRun('labbook-sdk-misuse-'));
});
afterEach(() => rm(tmp, { recursive: true, force: true }));

const sealedTraces = async () =>
  (await readPlainTraces(run.dir))
    .trim()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

const examples = Array.from({ length: 6 }, (_, i) => ({ id: `e${i}`, input: i, expected: i }));

describe('a dataset line that is not an example', () => {
  it('is named by its place among the examples, with what is wrong with it', async () => {
    const map = (rows: unknown[]) => run.map(rows as never, (e: { input: unknown }) => e.input);
    await expect(map([{ id: 'a', input: 1 }, [1]])).rejects.toThrow(
      'run.map(): example 2 of the examples given: it is an array, not an example ({ id?, input, expected? })',
    );
    await expect(
      map([
        { id: 'a', input: 1 },
        { id: 'b', input: 2 },
        { id: 'c', question: 'x' },
      ]),
    ).rejects.toThrow('run.map(): example 3 of the examples given: it has no "input" field (an example is { id?, input, expected? })');
    await expect(map([{ id: '', input: 1 }])).rejects.toThrow(
      'run.map(): example 1 of the examples given: example id "" is not usable: expected a non-empty string (at most 500 characters) or a number',
    );
    // With trials, the place is the example's, not the repetition's.
    await expect(run.map([{ id: 'a', input: 1 }, 'line'] as never, (e: { input: unknown }) => e.input, { trials: 3 })).rejects.toThrow(
      'run.map(): example 2 of the examples given: it is "line", not an example',
    );
  });
});

describe('a run.map the script forgot to await', () => {
  it('is traced to its end by finish(), not sealed completed with nothing', async () => {
    const slow = (example: { input: number }) => new Promise((resolve) => setTimeout(() => resolve(example.input), 10));
    void run.map(examples, slow, { concurrency: 2 });
    const result = await run.finish();
    expect(result!.manifest).toMatchObject({ status: 'completed', counts: { traces: 6 } });
    expect((await sealedTraces()).map((t) => t.exampleId)).toEqual(examples.map((e) => e.id));
  });

  it('can still be stopped by a finish() from its own onTrace, which does not wait for it', async () => {
    let finishing: Promise<unknown> | undefined;
    const mapping = run.map(examples, (e) => e.input, {
      onTrace: () => {
        if (run.traceCount === 2) finishing ??= run.finish();
      },
    });
    await expect(mapping).rejects.toThrow('is finished');
    expect(await finishing).toMatchObject({ manifest: { status: 'completed', counts: { traces: 2 } } });
  });

  it('is refused at once when started after finish()', async () => {
    await run.finish();
    await expect(run.map(examples, (e) => e.input)).rejects.toThrow('is finished');
  });
});

describe('a misspelt option', () => {
  it('is refused by name, with the option meant, instead of being ignored', async () => {
    const exact = [evaluators.exactMatch()];
    await expect(run.map(examples, (e) => e.input, { evaluator: exact } as never)).rejects.toThrow(
      'run.map(): unknown option "evaluator" (did you mean "evaluators"?)',
    );
    await expect(run.map(examples, (e) => e.input, { concurency: 2 } as never)).rejects.toThrow('did you mean "concurrency"?');
    await expect(run.trace(examples[0]!, () => 1, { evaluator: exact } as never)).rejects.toThrow(
      'run.trace(): unknown option "evaluator" (did you mean "evaluators"?)',
    );
    await expect(run.finish({ statu: 'partial' } as never)).rejects.toThrow('run.finish(): unknown option "statu"');
    await expect(startRun({ experiment: 'demo', config: 'agent.yaml', env: {} } as never)).rejects.toThrow(
      'startRun(): unknown option "config" (did you mean "configPath"?)',
    );
    expect(run.traceCount).toBe(0);
  });

  it('includes an id given to run.map, which would give every trace the same one', async () => {
    await expect(run.map(examples, (e) => e.input, { id: 'same' } as never)).rejects.toThrow('unknown option "id"');
  });

  it('and options that are not an object are refused', async () => {
    await expect(run.map(examples, (e) => e.input, 4 as never)).rejects.toThrow('run.map() expects an options object, got 4');
    await expect(run.trace(examples[0]!, () => 1, { metadata: 'x' } as never)).rejects.toThrow('options.metadata must be an object');
  });
});

describe('a trace id given twice', () => {
  it('is refused at the second call, and the run keeps the first trace and seals completed', async () => {
    await run.trace({ input: 1 }, () => 1, { id: 'mine' });
    await expect(run.trace({ input: 2 }, () => 2, { id: 'mine' })).rejects.toThrow(UsageError);
    await expect(run.trace({ input: 2 }, () => 2, { id: 'mine' })).rejects.toThrow('trace id "mine" is already used');
    // A call refused for another mistake leaves its id free.
    await expect(run.trace({ question: 3 } as never, () => 3, { id: 'other' })).rejects.toThrow('"input" field');
    await run.trace({ input: 3 }, () => 3, { id: 'other' });
    const result = await run.finish();
    expect(result!.errors).toEqual([]);
    expect(result!.manifest).toMatchObject({ status: 'completed', counts: { traces: 2 } });
  });
});

describe('run.append', () => {
  it('refuses a trace id already written, and what is not a trace object, keeping the run whole', async () => {
    const trace = { id: 'converted-1', exampleId: 'e', input: 1, start: 1, end: 2, durationMs: 1 };
    run.append(trace);
    expect(() => run.append(trace)).toThrow('run.append(): trace id "converted-1" is already used');
    await run.trace({ input: 1 }, () => 1, { id: 'given' });
    expect(() => run.append({ ...trace, id: 'given' })).toThrow(UsageError);
    expect(() => run.append(null as never)).toThrow('run.append() expects a trace object, got null');
    const result = await run.finish();
    expect(result!.errors).toEqual([]);
    expect(result!.manifest).toMatchObject({ status: 'completed', counts: { traces: 2 } });
  });
});

describe('a beforeFinish hook', () => {
  it('that is not a function is refused when registered', () => {
    expect(() => run.beforeFinish('flush' as never)).toThrow('run.beforeFinish(hook): expected a function, got "flush"');
  });

  it('that throws at once does not stop the others or the finish', async () => {
    const ran: string[] = [];
    run.beforeFinish(() => {
      throw new Error('exporter gone');
    });
    run.beforeFinish(async () => {
      ran.push('second');
    });
    await run.trace({ input: 1 }, () => 1);
    const result = await run.finish();
    expect(ran).toEqual(['second']);
    expect(result!.manifest).toMatchObject({ status: 'completed', counts: { traces: 1 } });
  });
});

describe('examples or a function of the wrong kind', () => {
  it('are refused before anything is traced, naming what came instead', async () => {
    const loading = Promise.resolve(examples);
    await expect(run.map(loading as never, (e) => e)).rejects.toThrow('got a promise (missing await?)');
    await expect(run.map({ input: 1 } as never, (e) => e)).rejects.toThrow(
      'expects an array, an iterable or an async iterable of examples, got an object',
    );
    await expect(run.map(examples, 'agent' as never)).rejects.toThrow('run.map(examples, fn): expected a function, got "agent"');
    await expect(run.trace({ input: 1 }, undefined as never)).rejects.toThrow('run.trace(example, fn): expected a function');
    expect(() => run.inShard(null as never)).toThrow('run.inShard() expects an example ({ id?, input }), got null');
    expect(run.traceCount).toBe(0);
  });

  it('show text quoted, so "4" is not mistaken for the number it spells', async () => {
    await expect(run.map(examples, (e) => e.input, { concurrency: '4' as never })).rejects.toThrow('invalid concurrency "4"');
    await expect(run.map(examples, (e) => e.input, { trials: '2' as never })).rejects.toThrow('got "2"');
  });
});

describe('an input no trace line can hold', () => {
  it('still gives an error trace naming the field, and run.map carries on', async () => {
    const huge = 'x'.repeat(VALUE_LIMITS.stringLength + 1);
    const traces = await run.map(
      [
        { id: 'big', input: huge },
        { id: 'small', input: 'ok' },
      ],
      (e) => e.input.length,
    );
    expect(traces.map((t) => [t.exampleId, t.status])).toEqual([
      ['big', 'error'],
      ['small', 'ok'],
    ]);
    expect(traces[0]!.error).toContain('input: a string of 16777217 characters');
    expect(traces[0]!.input).toMatch(/^\[not recorded: a string of 16777217 characters/);
    const result = await run.finish();
    expect(result!.manifest).toMatchObject({ status: 'completed', counts: { traces: 2 } });
  });

  it('with a BigInt and no id is hashed and recorded as its digits', async () => {
    const trace = await run.trace({ input: { n: 10n } }, () => 'ok');
    const again = await run.trace({ input: { n: 10n } }, () => 'ok');
    expect(trace.exampleId).toMatch(/^ex-[0-9a-f]{16}$/);
    expect(again.exampleId).toBe(trace.exampleId);
    await run.finish();
    expect((await sealedTraces())[0]).toMatchObject({ input: { n: '10' }, output: 'ok', status: 'ok' });
  });
});

describe('two examples with one id in a run.map', () => {
  it('are both traced, and the script is warned once that compare reads only the first', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const rows = [{ id: 'a', input: 1 }, { id: 'a', input: 2 }, { input: 'same' }, { input: 'same' }, { id: 'b', input: 3 }];
      expect(await run.map(rows, (e) => e.input)).toHaveLength(5);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![0])).toMatch(/^run\.map\(\): 2 example ids were traced more than once \("a", "ex-[0-9a-f]{16}"\)/);
      warn.mockClear();
      await run.map([{ id: 'c', input: 1 }], (e) => e.input, { trials: 3 });
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });
});

describe("run.trace's trial", () => {
  it('is written on the trace when it is a whole number from 1 to 10000', async () => {
    expect((await run.trace({ id: 'a', input: 1 }, () => 1, { trial: 2 })).trial).toBe(2);
    expect((await run.trace({ id: 'a', input: 1 }, () => 1, { trial: 10_000 })).trial).toBe(10_000);
    expect((await run.trace({ id: 'a', input: 1 }, () => 1)).trial).toBeUndefined();
  });

  it('is refused by name when it is not, before anything is recorded', async () => {
    for (const [trial, shown] of [
      [0, '0'],
      [-1, '-1'],
      [1.5, '1.5'],
      [10_001, '10001'],
      [Number.NaN, 'NaN'],
      ['2', '"2"'],
    ] as const) {
      const refused = run.trace({ input: 1 }, () => 1, { trial: trial as number });
      await expect(refused).rejects.toThrow(UsageError);
      await expect(refused).rejects.toThrow(`options.trial must be a whole number from 1 to 10000, got ${shown}`);
    }
    await expect(run.map(examples, (e) => e.input, { trial: 2 } as never)).rejects.toThrow(
      'run.map(): unknown option "trial" (did you mean "trials"?)',
    );
    expect(run.traceCount).toBe(0);
  });
});

// Each of these waited for ever before finish() knew where it was called from: the short
// timeouts make a regression fail fast instead of hanging the suite.
describe('finish() called inside a trace of the run', () => {
  it("from run.trace's function is refused, and the call that opened the trace rejects with it", { timeout: 2000 }, async () => {
    const tracing = run.trace({ id: 'q1', input: 1 }, async () => {
      await span('agent', 'AGENT', async () => 'some work first');
      await run.finish();
      return 1;
    });
    await expect(tracing).rejects.toThrow(FinishInsideTraceError);
    await expect(tracing).rejects.toThrow(
      'run.finish() was called inside the trace of example "q1" (from run.trace()\'s function, run.map()\'s callback or an evaluator)',
    );
    await expect(tracing).rejects.toThrow(UsageError);
    // The run is untouched: finished from the right place, it seals with what was recorded.
    await run.trace({ input: 2 }, () => 2);
    expect(await run.finish()).toMatchObject({ manifest: { status: 'completed', counts: { traces: 1 } } });
  });

  it("from run.map's callback, or a span in it, is refused and the map rejects", { timeout: 2000 }, async () => {
    const mapping = run.map(examples, async (example) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (example.id === 'e2') await span('stop', 'TOOL', () => run.finish());
      return example.input;
    });
    await expect(mapping).rejects.toThrow('run.finish() was called inside the trace of example "e2"');
    expect(await run.finish()).toMatchObject({ manifest: { status: 'completed', counts: { traces: 2 } } });
  });

  it('from an evaluator is refused, and recorded as its error score', { timeout: 2000 }, async () => {
    const finishing = { name: 'finishing', evaluate: async () => (await run.finish(), true) };
    const trace = await run.trace({ input: 1 }, () => 1, { evaluators: [finishing] });
    expect(trace.scores[0]).toMatchObject({
      name: 'finishing',
      value: null,
      error: expect.stringContaining('run.finish() was called inside'),
    });
    expect(await run.finish()).toMatchObject({ manifest: { status: 'completed', counts: { traces: 1 } } });
  });

  it('is not refused once that trace is written (a timer it left behind)', { timeout: 2000 }, async () => {
    let finished: Promise<unknown> | undefined;
    await run.trace({ input: 1 }, () => {
      setTimeout(() => (finished = run.finish()), 0);
      return 1;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await finished).toMatchObject({ manifest: { status: 'completed', counts: { traces: 1 } } });
  });
});
