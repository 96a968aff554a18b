import { availableParallelism } from 'node:os';
import { describe, expect, it, vi } from 'vitest';
import type { Trace } from '../../../schemas/trace.ts';
import { LiveTraces } from '../otlp/live-traces.ts';
import { decodeTraceRequest, encodeTraceRequest } from '../otlp/protobuf-codec.ts';
import { traceLine } from '../trace-line.ts';
import { startOtlpReceiver } from './receiver.ts';
import { rehearsalRequest } from './rehearsal.ts';

function liveTraces() {
  const written: Trace[] = [];
  const prepared: Trace[] = [];
  const log: string[] = [];
  const traces = new LiveTraces({
    graceMs: 60_000,
    prepare: (trace) => {
      prepared.push(trace);
      return traceLine(trace);
    },
    onTrace: (trace) => written.push(trace),
    onLog: (line) => log.push(line),
  });
  return { traces, written, prepared, log };
}

describe('the made-up request the receiver rehearses on', () => {
  it('is read as an agent’s would be, every trace built without a warning, and nothing kept', () => {
    const { traces, written, prepared, log } = liveTraces();
    traces.rehearse(decodeTraceRequest(encodeTraceRequest(rehearsalRequest())));
    expect(prepared).toHaveLength(20);
    const [first] = prepared;
    expect(first!.spans.map((span) => span.type).sort()).toEqual(['AGENT', 'CHAT_MODEL', 'CHAT_MODEL', 'TOOL']);
    expect(first!.spans.find((span) => span.type === 'CHAT_MODEL')).toMatchObject({
      model: 'gpt-4o-mini',
      usage: { input: 100, output: 10 },
    });
    expect(first!.scores).toEqual([expect.objectContaining({ name: 'correct', value: 0 })]);
    expect(first!.input).toEqual({ question: 'refund 0' });
    expect(written).toEqual([]);
    expect(log).toEqual([]);
    expect(traces.counts).toEqual({ spans: 0, traces: 0, lateSpans: 0, requests: 0 });
    expect(traces.pendingTraces).toBe(0);
    expect(traces.hasWorkAhead).toBe(false);
  });
});

describe.skipIf(availableParallelism() < 2)('the receiver, while it waits for its first request', () => {
  it('rehearses, stops when a request comes, keeps only what was sent, and rehearses once per process', async () => {
    const { traces, written, prepared } = liveTraces();
    const rehearse = vi.spyOn(traces, 'rehearse');
    const receiver = await startOtlpReceiver({ traces: async () => traces, onLog: () => {} });
    receiver.prepare();
    await vi.waitFor(() => expect(rehearse.mock.calls.length).toBeGreaterThanOrEqual(2));
    const rehearsedSpans = prepared.length;

    const root = {
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: '1111111111111111',
      name: 'agent',
      startTimeUnixNano: '1700000000000000000',
      endTimeUnixNano: '1700000000500000000',
      attributes: [{ key: 'labbook.example.input', value: { stringValue: '"q"' } }],
    };
    const body = encodeTraceRequest({ resourceSpans: [{ scopeSpans: [{ spans: [root] }] }] });
    const response = await fetch(`${receiver.url}/v1/traces`, {
      method: 'POST',
      body: Buffer.from(body),
      headers: { 'Content-Type': 'application/x-protobuf' },
    });
    expect(response.status).toBe(200);
    const calls = rehearse.mock.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(rehearse.mock.calls.length).toBe(calls); // no rehearsal once a request has come
    expect(calls).toBeLessThanOrEqual(40);
    expect(prepared.length).toBeGreaterThanOrEqual(rehearsedSpans);
    await receiver.stop();
    expect(written.map((trace) => trace.id)).toEqual(['5b8efff798038103d269b633813fc60c']);
    expect(traces.counts).toMatchObject({ requests: 1, spans: 1, traces: 1 });

    const again = liveTraces();
    const second = vi.spyOn(again.traces, 'rehearse');
    const warm = await startOtlpReceiver({ traces: async () => again.traces, onLog: () => {} });
    warm.prepare();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await warm.stop();
    expect(second).not.toHaveBeenCalled();
  });
});
