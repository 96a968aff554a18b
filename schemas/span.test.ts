import { describe, expect, it } from 'vitest';
import { spanSchema } from './span.ts';
import { traceSchema } from './trace.ts';

const span = (start: number, end: number) => ({ id: 's', name: 'n', start, end });

describe('span times', () => {
  it('refuses a span that ends before it starts, on its end', () => {
    const result = spanSchema.safeParse(span(1_700_000_000_010, 1_700_000_000_005));
    expect(result.success).toBe(false);
    expect(result.error!.issues).toMatchObject([
      { path: ['end'], message: "earlier than the span's start, 1700000000010; a span may end when it starts, never before" },
    ]);
    // By a fraction of a millisecond too: times keep sub-millisecond precision.
    expect(spanSchema.safeParse(span(10.5, 10.4999)).success).toBe(false);
  });

  it('takes an instantaneous span (end equal to start) and an ordinary one', () => {
    expect(spanSchema.parse(span(7, 7))).toMatchObject({ start: 7, end: 7 });
    expect(spanSchema.parse(span(7, 9.25))).toMatchObject({ start: 7, end: 9.25 });
  });

  it('refuses times that are not finite numbers', () => {
    for (const [start, end] of [
      [NaN, 1],
      [0, NaN],
      [0, Infinity],
      [-Infinity, 0],
    ] as const)
      expect(spanSchema.safeParse(span(start, end)).success).toBe(false);
  });

  it("names the span's end within a trace line: spans.<index>.end", () => {
    const result = traceSchema.safeParse({
      id: 't',
      exampleId: 'e',
      input: null,
      start: 0,
      end: 10,
      durationMs: 10,
      spans: [span(0, 10), span(2, 3), span(5, 4)],
    });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((issue) => issue.path.join('.'))).toEqual(['spans.2.end']);
  });
});

describe('trace times', () => {
  const trace = (start: number, end: number) => ({ id: 't', exampleId: 'e', input: 'x', start, end, durationMs: 0 });
  it('refuses a trace that ends before it starts, on its end, and takes one that takes no time', () => {
    const result = traceSchema.safeParse(trace(20, 10));
    expect(result.success).toBe(false);
    expect(result.error!.issues).toMatchObject([
      { path: ['end'], message: "earlier than the trace's start, 20; a trace may end when it starts, never before" },
    ]);
    expect(traceSchema.safeParse(trace(20, 20)).success).toBe(true);
  });
});
