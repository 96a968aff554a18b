import type { TraceInput } from '../../schemas/trace.ts';

/** A small valid trace: a root AGENT span with an LLM child, a boolean and a numeric score. */
export function makeTrace(index: number, overrides: Partial<TraceInput> = {}): TraceInput {
  const start = 1_700_000_000_000 + index * 1000;
  return {
    id: `t${index}`,
    exampleId: `ex${index}`,
    input: { question: `q${index}` },
    output: `answer ${index}`,
    expected: `answer ${index}`,
    start,
    end: start + 100 + index,
    durationMs: 100 + index,
    spans: [
      { id: 's1', parentId: null, name: 'agent', type: 'AGENT', start, end: start + 100 + index },
      {
        id: 's2',
        parentId: 's1',
        name: 'llm',
        type: 'LLM',
        start: start + 1,
        end: start + 50,
        model: 'demo-model',
        usage: { input: 10, output: 5 },
      },
    ],
    scores: [
      { name: 'correct', value: index % 4 !== 0 },
      { name: 'quality', value: (index % 10) / 10 },
    ],
    ...overrides,
  };
}
