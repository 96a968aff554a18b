import { describe, expect, it } from 'vitest';
import { traceSchema, type TraceInput } from '../../schemas/trace.ts';
import { displayWidth } from '../text/display-width.ts';
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
    expect(view).toContain('… and 20 more spans: --json prints them all');
    expect(view.split('\n').filter((line) => /^(s0|├─|└─)/.test(line))).toHaveLength(10);
  });

  it('keeps the names of a deep chain in view, saying the depth past nine', () => {
    const spans = Array.from({ length: 30 }, (_, i) => span(`level-${i}`, i === 0 ? null : `level-${i - 1}`, i));
    const lines = formatTraceView(trace(spans), { maxSpans: 100 }).split('\n');
    expect(lines.find((line) => line.includes('level-9 '))).toMatch(/^ {24}└─ level-9 /);
    expect(lines.find((line) => line.includes('level-10 '))).toMatch(/^ {21}┄10┄ └─ level-10 /);
    expect(lines.find((line) => line.includes('level-29 '))).toMatch(/^ {21}┄29┄ └─ level-29 /);
  });

  it('counts, and names, the failed spans it does not print', () => {
    const spans = Array.from({ length: 30 }, (_, i) => ({
      ...span(`s${i}`, i === 0 ? null : 's0', i),
      ...(i >= 20 && i % 4 === 0 ? { status: 'error' as const, error: 'boom' } : {}),
    }));
    expect(formatTraceView(trace(spans), { maxSpans: 10 })).toContain(
      '… and 20 more spans, 3 with an error (s20, s24, s28): --json prints them all',
    );
  });

  it('writes bidirectional controls as escapes, so a name cannot read reversed', () => {
    const view = formatTraceView(trace([{ ...span('root', null, 0), name: 'invoice\u202egpj.exe' }]), { maxSpans: 10 });
    expect(view).toContain('invoice\\u202egpj.exe');
    expect(view).not.toContain('\u202e');
  });

  it('keeps its columns lined up for names in CJK scripts and with emoji', () => {
    const spans = [span('root', null, 0), span('日本語の検索', 'root', 1), span('🤖 agent', 'root', 2), span('👨‍👩‍👧 family', 'root', 3)];
    const lines = formatTraceView(trace(spans), { maxSpans: 10 }).split('\n');
    const rows = lines.slice(lines.findIndex((line) => line.startsWith('spans (4)')) + 2);
    // Where the type column starts, in terminal columns: the same on every row.
    const typeColumn = (line: string) => displayWidth(line.slice(0, line.search(/ unknown /) + 1));
    expect(new Set(rows.map(typeColumn)).size).toBe(1);
  });

  it('says so when a trace has no spans', () => {
    expect(formatTraceView(trace([]), { maxSpans: 10 })).toMatch(/\n\nno spans$/);
  });
});
