import { describe, expect, it } from 'vitest';
import type { Trace } from '../../../schemas/trace.ts';
import { ReportBuilder } from '../import-report.ts';
import { OtlpCollector } from './import-otlp.ts';
import { LiveTraces } from './live-traces.ts';

const TRACE = '5b8efff798038103d269b633813fc60c';
const OTHER = '6b8efff798038103d269b633813fc60c';

function span(spanId: string, parentSpanId: string | undefined, name: string, traceId = TRACE) {
  return {
    traceId,
    spanId,
    ...(parentSpanId ? { parentSpanId } : {}),
    name,
    startTimeUnixNano: '1700000000000000000',
    endTimeUnixNano: '1700000000500000000',
    attributes: [{ key: 'labbook.example.input', value: { stringValue: `"${name}"` } }],
  };
}

function request(...spans: ReturnType<typeof span>[]) {
  return { resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: 'test' }, spans }] }] };
}

describe('building a trace ahead (OtlpCollector.build)', () => {
  it('makes what take would, and take then counts it once', () => {
    const ahead = new OtlpCollector();
    const plain = new OtlpCollector();
    for (const collector of [ahead, plain])
      collector.addRequest(request(span('1111111111111111', undefined, 'root'), span('2222222222222222', '1111111111111111', 'child')), {
        file: 'r',
      });
    const built = ahead.build(TRACE);
    expect(built).toBeDefined();
    expect(ahead.take(TRACE, built)).toBe(built);
    expect(built).toEqual(plain.take(TRACE));
    expect(ahead.report.mapped).toEqual(plain.report.mapped);
    expect(ahead.report.mapped.traces).toBe(1);
  });

  it('leaves a trace that needs repair (or warns) to be built when taken, so that its warnings come once', () => {
    const collector = new OtlpCollector();
    // An orphan: its parent is not (yet) in the trace.
    collector.addRequest(request(span('1111111111111111', undefined, 'root'), span('3333333333333333', '2222222222222222', 'orphan')), {
      file: 'r',
    });
    expect(collector.build(TRACE)).toBeUndefined();
    expect(collector.report.finish().warnings).toEqual([]);
    // The missing parent arrives: the tree is whole, as if nothing had been built.
    collector.addRequest(request(span('2222222222222222', '1111111111111111', 'parent')), { file: 'r' });
    const trace = collector.take(TRACE)!;
    expect(trace.spans.find((s) => s.name === 'orphan')).toMatchObject({ parentId: '2222222222222222' });
    expect(trace.spans.find((s) => s.name === 'orphan')!.attributes?.['otel.parent_span_id']).toBeUndefined();
    expect(collector.report.finish().warnings).toEqual([]);
  });
});

describe('assembling a trace leaves its draft as it was', () => {
  it('repairs copies of the spans (orphan, duplicate id, cycle): built twice, the same trace and the same warnings', () => {
    const needingRepair = () =>
      request(
        span('1111111111111111', undefined, 'root'),
        span('2222222222222222', '9999999999999999', 'orphan'),
        span('2222222222222222', '1111111111111111', 'duplicate'),
        span('4444444444444444', '5555555555555555', 'cycle a'),
        span('5555555555555555', '4444444444444444', 'cycle b'),
      );
    const collector = new OtlpCollector();
    collector.addRequest(needingRepair(), { file: 'r' });
    // Built ahead, it warns (and so is not kept); taken, it is built again from the same spans.
    expect(collector.build(TRACE)).toBeUndefined();
    const first = new ReportBuilder();
    const again = new OtlpCollector(first);
    again.addRequest(needingRepair(), { file: 'r' });
    const taken = collector.take(TRACE)!;
    expect(taken).toEqual(again.take(TRACE));
    expect(taken.spans.map((s) => [s.name, s.id, s.parentId])).toEqual([
      ['root', '1111111111111111', null],
      ['orphan', '2222222222222222', null],
      ['duplicate', '2222222222222222~2', '1111111111111111'],
      ['cycle a', '4444444444444444', '5555555555555555'],
      ['cycle b', '5555555555555555', null],
    ]);
    const warnings = (report: ReportBuilder) => report.finish().warnings.map((w) => w.message);
    expect(warnings(collector.report)).toEqual(warnings(first));
    expect(warnings(first)).toHaveLength(3);
  });
});

function live(options: { prepare?: boolean } = {}) {
  const written: Array<{ trace: Trace; prepared: string | undefined }> = [];
  const log: string[] = [];
  let now = 0;
  const prepared: string[] = [];
  const traces = new LiveTraces<string>({
    graceMs: 100,
    now: () => now,
    onTrace: (trace, made) => written.push({ trace, prepared: made }),
    onLog: (line) => log.push(line),
    ...(options.prepare === false
      ? {}
      : {
          prepare: (trace: Trace) => {
            prepared.push(trace.id);
            return `${trace.id}:${trace.spans.length}`;
          },
        }),
  });
  return { traces, written, log, prepared, tick: (ms: number) => (now += ms) };
}

describe('LiveTraces.prepareAhead', () => {
  it('builds the traces whose root has ended and hands them to prepare; writing uses them', () => {
    const { traces, written, prepared, tick } = live();
    traces.add(request(span('1111111111111111', undefined, 'root'), span('2222222222222222', undefined, 'open root', OTHER)), 'r1');
    // OTHER's span is a root too; a trace without its root ended is never built ahead.
    traces.add(request(span('3333333333333333', '2222222222222222', 'child', OTHER)), 'r2');
    expect(traces.hasWorkAhead).toBe(true);
    expect(traces.prepareAhead()).toBe(false);
    expect(traces.hasWorkAhead).toBe(false);
    expect(prepared).toEqual([TRACE, OTHER]);
    tick(200);
    traces.sweep();
    expect(written.map((w) => w.prepared)).toEqual([`${TRACE}:1`, `${OTHER}:2`]);
    expect(prepared).toHaveLength(2); // nothing built twice
  });

  it('builds again a trace that got a span after it was built, and writes that span', () => {
    const { traces, written, prepared, tick } = live();
    traces.add(request(span('1111111111111111', undefined, 'root')), 'r1');
    traces.prepareAhead();
    tick(50);
    traces.add(request(span('2222222222222222', '1111111111111111', 'late child')), 'r2');
    expect(traces.hasWorkAhead).toBe(true);
    tick(200);
    traces.sweep(); // written without waiting for prepareAhead: built as it is now
    expect(written).toHaveLength(1);
    expect(written[0]!.trace.spans.map((s) => s.name)).toEqual(['root', 'late child']);
    expect(written[0]!.prepared).toBeUndefined();
    expect(prepared).toEqual([TRACE]);
    expect(traces.hasWorkAhead).toBe(false);
  });

  it('does nothing without prepare (a file import), and writes the same traces', () => {
    const withPrepare = live();
    const without = live({ prepare: false });
    for (const { traces } of [withPrepare, without]) {
      traces.add(request(span('1111111111111111', undefined, 'root'), span('2222222222222222', '1111111111111111', 'child')), 'r1');
      traces.prepareAhead();
    }
    expect(without.traces.hasWorkAhead).toBe(false);
    expect(withPrepare.prepared).toEqual([TRACE]);
    withPrepare.traces.flush();
    without.traces.flush();
    expect(withPrepare.written.map((w) => w.trace)).toEqual(without.written.map((w) => w.trace));
    expect(without.written[0]!.prepared).toBeUndefined();
  });

  it('stops after a few milliseconds, leaving the rest for its next call', () => {
    const { traces, prepared } = live();
    const many = Array.from({ length: 20_000 }, (_, i) =>
      span('1111111111111111', undefined, 'root', (i + 1).toString(16).padStart(32, '0')),
    );
    traces.add(request(...many), 'r1');
    let calls = 0;
    while (traces.prepareAhead()) calls++;
    expect(calls).toBeGreaterThan(0);
    expect(prepared).toHaveLength(20_000);
  });
});
