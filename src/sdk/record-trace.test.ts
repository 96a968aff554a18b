import { describe, expect, it } from 'vitest';
import { traceSchema, type Trace, type TraceInput } from '../../schemas/trace.ts';
import { UsageError } from '../errors/index.ts';
import { checkSpanTree } from '../store/span-tree.ts';
import { recordTrace, type TracedFunction, type TraceOptions } from './record-trace.ts';
import { currentSpan, span } from './span-context.ts';
import { errorMessage } from '../errors/error-message.ts';

const tick = (ms = 1) => new Promise((resolve) => setTimeout(resolve, ms));

/** Records a trace the way a run does, minus the file: through the trace schema, checking the span tree. */
async function record<Output>(example: unknown, fn: TracedFunction<unknown, unknown, Output>, options: TraceOptions = {}): Promise<Trace> {
  return recordTrace(example, fn, options, (input: TraceInput) => {
    const trace = traceSchema.parse(JSON.parse(JSON.stringify(input)));
    expect(checkSpanTree(trace)).toEqual([]);
    return trace;
  });
}

/** name → parent's name, the shape of a span tree. */
function tree(trace: Trace): Record<string, string | null> {
  const names = new Map(trace.spans.map((s) => [s.id, s.name]));
  return Object.fromEntries(trace.spans.map((s) => [s.name, s.parentId === null ? null : names.get(s.parentId)!]));
}

describe('spans', () => {
  it('nest through awaits and record what the handle sets', async () => {
    const trace = await record({ id: 'q1', input: { q: 'hi' } }, async () =>
      span('agent', 'AGENT', async (agent) => {
        agent.setInputs({ q: 'hi' });
        await tick();
        const docs = await span('retrieve', 'RETRIEVER', async (s) => {
          await tick();
          s.setOutputs(['d1']).addEvent('cache-miss', { key: 'k' });
          return ['d1'];
        });
        const answer = await span('llm', 'LLM', async (s) => {
          await tick();
          await span('tokenize', 'PARSER', () => tick());
          s.setModel('demo-1')
            .setUsage({ input: 12, output: 3, cached: 2, simulated: true })
            .setCost({ input: 0.1, output: 0.2, total: 0.3 });
          return `answer from ${docs[0]}`;
        });
        agent.setOutputs(answer).setAttributes({ depth: 1 }).setAttributes({ width: 2 });
        return answer;
      }),
    );
    expect(trace.status).toBe('ok');
    expect(trace.output).toBe('answer from d1');
    expect(tree(trace)).toEqual({ agent: null, retrieve: 'agent', llm: 'agent', tokenize: 'llm' });
    const [agent, retrieve, llm] = trace.spans;
    expect(agent).toMatchObject({
      type: 'AGENT',
      status: 'ok',
      inputs: { q: 'hi' },
      outputs: 'answer from d1',
      attributes: { depth: 1, width: 2 },
    });
    expect(retrieve!.events).toEqual([{ name: 'cache-miss', time: expect.any(Number), attributes: { key: 'k' } }]);
    expect(llm).toMatchObject({
      model: 'demo-1',
      usage: { input: 12, output: 3, total: 15, cached: 2, simulated: true },
      cost: { input: 0.1, output: 0.2, total: 0.3 },
    });
    for (const s of trace.spans) {
      expect(s.end).toBeGreaterThanOrEqual(s.start);
      expect(s.start).toBeGreaterThanOrEqual(trace.start);
      expect(s.end).toBeLessThanOrEqual(trace.end);
    }
    expect(new Set(trace.spans.map((s) => s.id)).size).toBe(trace.spans.length);
  });

  it('keep concurrent traces apart', async () => {
    const traces = await Promise.all(
      [0, 1, 2, 3, 4, 5].map((i) =>
        record({ id: `q${i}`, input: i }, () =>
          span(`root-${i}`, 'CHAIN', async () => {
            await Promise.all(
              [0, 1, 2].map((j) =>
                span(`child-${i}-${j}`, 'TOOL', async () => {
                  await tick((i * 7 + j * 3) % 5);
                  await span(`leaf-${i}-${j}`, 'LLM', () => tick((i + j) % 3));
                }),
              ),
            );
            return i;
          }),
        ),
      ),
    );
    traces.forEach((trace, i) => {
      const expected: Record<string, string | null> = { [`root-${i}`]: null };
      for (const j of [0, 1, 2]) {
        expected[`child-${i}-${j}`] = `root-${i}`;
        expected[`leaf-${i}-${j}`] = `child-${i}-${j}`;
      }
      expect(tree(trace)).toEqual(expected);
      expect(trace.output).toBe(i);
    });
  });

  it('record a thrown error on each span it leaves, with the stack once, and rethrow it', async () => {
    let caught: unknown;
    const trace = await record({ input: 'x' }, async () => {
      try {
        await span('outer', 'CHAIN', () =>
          span('inner', 'TOOL', async () => {
            await tick();
            throw new TypeError('tool broke');
          }),
        );
      } catch (error) {
        caught = error;
      }
      return span('sync', 'PARSER', () => 'done');
    });
    expect(caught).toBeInstanceOf(TypeError);
    expect(trace.status).toBe('ok');
    const [outer, inner, sync] = trace.spans;
    expect(inner).toMatchObject({ status: 'error', error: 'TypeError: tool broke' });
    expect(inner!.events![0]).toMatchObject({
      name: 'exception',
      attributes: { 'exception.type': 'TypeError', 'exception.message': 'tool broke' },
    });
    expect(String(inner!.events![0]!.attributes!['exception.stacktrace'])).toContain('tool broke');
    expect(outer).toMatchObject({ status: 'error', error: 'TypeError: tool broke' });
    expect(outer!.events).toBeUndefined();
    expect(sync).toMatchObject({ status: 'ok' });
  });

  it('record setStatus and setError without throwing', async () => {
    const trace = await record({ input: 1 }, () => {
      span('a', 'GUARDRAIL', (s) => s.setStatus('error', 'blocked'));
      span('b', 'TOOL', (s) => s.setError(new Error('soft failure')));
      span('c', 'TOOL', (s) => s.setStatus('error', 'x').setStatus('ok'));
      return 'ok';
    });
    expect(trace.spans.map((s) => [s.status, s.error])).toEqual([
      ['error', 'blocked'],
      ['error', 'soft failure'],
      ['ok', undefined],
    ]);
  });

  it('refuse bad arguments where they are made', async () => {
    const trace = await record({ input: 1 }, () => {
      const problems: string[] = [];
      for (const bad of [
        () => span('x', 'NOPE' as never, () => 1),
        () => span('x', 'LLM', (s) => s.setUsage({ input: -1, output: 2 })),
        () => span('x', 'LLM', (s) => s.setCost({ total: Number.NaN })),
        () => span('x', 'LLM', (s) => s.setAttributes([] as never)),
      ]) {
        try {
          bad();
        } catch (error) {
          expect(error).toBeInstanceOf(UsageError);
          problems.push(errorMessage(error));
        }
      }
      return problems;
    });
    expect(trace.output).toEqual([
      expect.stringContaining('unknown span type "NOPE"'),
      'usage.input must be a finite number of at least 0, got -1',
      'cost.total must be a finite number of at least 0, got NaN',
      'setAttributes expects an object, got an array',
    ]);
  });

  it('run untraced outside a trace', async () => {
    expect(currentSpan()).toBeUndefined();
    const value = await span('free', 'TOOL', async (s) => {
      s.setModel('m').setUsage({ input: 1, output: 1 });
      return 42;
    });
    expect(value).toBe(42);
  });

  it('expose the current span', async () => {
    const trace = await record({ input: 1 }, () =>
      span('outer', 'CHAIN', async () => {
        await tick();
        currentSpan()!.setAttributes({ marked: true });
        return currentSpan()!.name;
      }),
    );
    expect(trace.output).toBe('outer');
    expect(trace.spans[0]!.attributes).toEqual({ marked: true });
  });

  it('land in their trace through t.span even when the async context is lost', async () => {
    const trace = await record({ input: 1 }, async (t) => {
      const detached = await new Promise<string>((resolve) => {
        // A callback scheduled outside the trace's context, as some event emitters do.
        queueMicrotask(() => resolve(t.span('late', 'TOOL', () => 'from callback')));
      });
      return span('parent', 'CHAIN', () => t.span('child', 'TOOL', () => detached));
    });
    expect(tree(trace)).toEqual({ late: null, parent: null, child: 'parent' });
  });

  it('close spans that were still running when the trace ended', async () => {
    const trace = await record({ input: 1 }, () => {
      void span('forgotten', 'TOOL', () => tick(20));
      return 'done';
    });
    expect(trace.spans[0]).toMatchObject({ status: 'error', error: expect.stringContaining('still running'), end: trace.end });
  });
});

describe('traces', () => {
  it('capture an error thrown by the traced function and still run the evaluators', async () => {
    const trace = await record(
      { id: 'q', input: 'x', expected: 'y' },
      async () => {
        await span('step', 'TOOL', () => tick());
        throw new RangeError('agent failed');
      },
      {
        evaluators: [
          function answered({ output }) {
            return output !== undefined;
          },
        ],
      },
    );
    expect(trace).toMatchObject({ status: 'error', error: 'RangeError: agent failed' });
    expect(trace.output).toBeUndefined();
    expect(trace.spans).toHaveLength(1);
    expect(trace.scores).toEqual([{ name: 'answered', value: false, source: 'code', evaluator: 'answered' }]);
  });

  it('capture a non-Error thrown synchronously', async () => {
    const trace = await record({ input: 'x' }, () => {
      throw { code: 42 };
    });
    expect(trace).toMatchObject({ status: 'error', error: 'non-error thrown: {"code":42}' });
  });

  it('take the example id, tags, metadata and manual scores', async () => {
    const trace = await record(
      { id: 'q-9', input: { a: 1 }, expected: 2, tags: ['math'], difficulty: 'easy' },
      (t) => {
        expect(t.exampleId).toBe('q-9');
        t.addTags('checked', 'math').setMetadata({ attempt: 1 }).score('confidence', 0.9, { rationale: 'sure' }).score('bad', Infinity);
        t.setOutput(2);
      },
      { tags: ['nightly'], metadata: { suite: 's' }, id: 'trace-1' },
    );
    expect(trace).toMatchObject({
      id: 'trace-1',
      exampleId: 'q-9',
      output: 2,
      tags: ['math', 'nightly', 'checked'],
      metadata: { difficulty: 'easy', suite: 's', attempt: 1 },
      scores: [
        { name: 'confidence', value: 0.9, rationale: 'sure', source: 'code' },
        { name: 'bad', value: null, error: 'returned Infinity, which is not a finite number', source: 'code' },
      ],
    });
  });

  it('hash the input when the example has no id', async () => {
    const a = await record({ input: { b: 1, a: 2 } }, () => 1);
    const b = await record({ input: { a: 2, b: 1 } }, () => 1);
    expect(a.exampleId).toMatch(/^ex-[0-9a-f]{16}$/);
    expect(a.exampleId).toBe(b.exampleId);
    expect(a.id).not.toBe(b.id);
  });

  it('reject misuse before running the function', async () => {
    let ran = false;
    const fn = () => {
      ran = true;
    };
    await expect(record({ question: 'no input field' }, fn)).rejects.toThrow(UsageError);
    await expect(
      record({ input: 1 }, fn, {
        evaluators: [
          (
            () => () =>
              true
          )(),
        ],
      }),
    ).rejects.toThrow(/anonymous/);
    await expect(
      record({ input: 1 }, fn, {
        evaluators: [
          function same() {
            return 1;
          },
          { name: 'same', evaluate: () => 2 },
        ],
      }),
    ).rejects.toThrow(/two evaluators/);
    expect(ran).toBe(false);
  });
});
