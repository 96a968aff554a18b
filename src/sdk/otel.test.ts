import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readPlainTraces } from '../store/trace-storage.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportWarning } from '../interop/import-report.ts';
import type { ExportResultLike, HrTime, ReadableSpanLike } from '../interop/otel-span-exporter.ts';
import { labbookSpanExporter, startRun } from './index.ts';

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'labbook-otel-'));
  await writeFile(join(tmp, 'agent.yaml'), 'model: m\n');
});
afterEach(() => rm(tmp, { recursive: true, force: true }));

const T = 1_750_000_000_000;
const hr = (ms: number): HrTime => [Math.floor(ms / 1000), Math.round((ms % 1000) * 1e6)];

/** A finished span as `@opentelemetry/sdk-trace-base` 1.x hands it to an exporter (OpenInference attributes). */
function finished(
  traceId: string,
  spanId: string,
  parentSpanId: string | undefined,
  name: string,
  kind: string,
  offsetMs: number,
  attributes: Record<string, unknown> = {},
): ReadableSpanLike {
  return {
    name,
    kind: 0,
    spanContext: () => ({ traceId, spanId, traceFlags: 1 }),
    ...(parentSpanId ? { parentSpanId } : {}),
    startTime: hr(T + offsetMs),
    endTime: hr(T + offsetMs + 10),
    attributes: { 'openinference.span.kind': kind, ...attributes },
    status: { code: 1 },
    events: [],
    resource: { attributes: { 'service.name': 'agent' } },
  };
}

function exportBatch(
  exporter: { export: (spans: readonly ReadableSpanLike[], done: (result: ExportResultLike) => void) => void },
  spans: ReadableSpanLike[],
): Promise<ExportResultLike> {
  return new Promise((resolve) => exporter.export(spans, resolve));
}

describe('labbookSpanExporter', () => {
  it('appends each OpenTelemetry trace to the run, and hands over unfinished ones when the run finishes', async () => {
    const run = await startRun({
      experiment: 'otel',
      configPath: join(tmp, 'agent.yaml'),
      dataDir: join(tmp, 'experiments'),
      env: {},
      handleCrashes: false,
    });
    const warnings: ImportWarning[] = [];
    const exporter = labbookSpanExporter(run, { onWarning: (warning) => warnings.push(warning) });
    const a = 'a'.repeat(32);
    const b = 'b'.repeat(32);
    const c = 'c'.repeat(32);
    // Children end first, so they are exported in an earlier batch than their root.
    expect(await exportBatch(exporter, [finished(a, '1111111111111111', '0000000000000001', 'search', 'RETRIEVER', 1)])).toEqual({
      code: 0,
    });
    expect(
      await exportBatch(exporter, [
        finished(a, '0000000000000001', undefined, 'agent', 'AGENT', 0, {
          'labbook.example_id': 'q-1',
          'input.value': 'weather?',
          'output.value': 'sunny',
        }),
        finished(b, '0000000000000002', undefined, 'agent', 'AGENT', 0, { 'input.value': 'hello' }),
      ]),
    ).toEqual({ code: 0 });
    // A trace whose root has not ended when the run finishes.
    await exportBatch(exporter, [finished(c, '3333333333333333', '0000000000000003', 'llm', 'LLM', 2)]);
    expect(run.traceCount).toBe(2);

    const result = await run.finish();
    expect(result!.manifest.counts).toMatchObject({ traces: 3, spans: 4 });
    expect(result!.errors).toEqual([]);
    expect(warnings.map((w) => w.message)).toContainEqual(expect.stringContaining(`trace ${c} was handed over without its root span`));

    const traces = (await readPlainTraces(run.dir))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const first = traces.find((t) => t.id === a);
    expect(first).toMatchObject({ exampleId: 'q-1', input: 'weather?', output: 'sunny' });
    expect(first.spans.map((s: { name: string; type: string; parentId: string | null }) => [s.name, s.type, s.parentId])).toEqual([
      ['search', 'RETRIEVER', '0000000000000001'],
      ['agent', 'AGENT', null],
    ]);
    expect(traces.find((t) => t.id === b).exampleId).toMatch(/^ex-[0-9a-f]{16}$/);
    expect(() => run.append(first)).toThrow(/finished/);
  });
});
