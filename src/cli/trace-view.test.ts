import { describe, expect, it } from 'vitest';
import { traceSchema, type TraceInput } from '../../schemas/trace.ts';
import { formatTraceView } from './trace-view.ts';

const trace = (spans: TraceInput['spans']) =>
  traceSchema.parse({ id: 't', exampleId: 'e', input: 'x', start: 0, end: 1, durationMs: 1, spans });
const span = (id: string, parentId: string | null, start: number) => ({ id, parentId, name: id, start, end: start + 1 });

describe('formatTraceView', () => {
  it('prints every span once, an orphan and a parent cycle as roots', () => {
    const view = formatTraceView(trace([span('a', 'b', 2), span('b', 'a', 3), span('root', null, 0), span('lost', 'nowhere', 1)]), {
      maxSpans: 100,
    });
    const names = view
      .slice(view.indexOf('spans (4)'))
      .split('\n')
      .slice(2)
      .map((line) => line.split(/\s{2,}/)[0]);
    expect(names).toEqual(['root', 'lost', 'a', '└─ b']);
  });

  it('stops at maxSpans and says how many are left', () => {
    const spans = Array.from({ length: 30 }, (_, i) => span(`s${i}`, i === 0 ? null : 's0', i));
    const view = formatTraceView(trace(spans), { maxSpans: 10 });
    expect(view).toContain('… and 20 more span(s): --json prints them all');
    expect(view.split('\n').filter((line) => /^(s0|├─|└─)/.test(line))).toHaveLength(10);
  });

  it('says so when a trace has no spans', () => {
    expect(formatTraceView(trace([]), { maxSpans: 10 })).toMatch(/\n\nno spans$/);
  });
});
