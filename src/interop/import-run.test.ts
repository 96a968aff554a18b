import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { traceSchema } from '../../schemas/trace.ts';
import { readAllTraces } from '../../test/helpers/run-traces.ts';
import { readPlainTraces } from '../store/trace-storage.ts';
import { tempDir } from '../../test/helpers/temp-dir.ts';
import { importRun } from './import-run.ts';
import { importOtlp } from './otlp/read-otlp-files.ts';

const FIXTURES = join(import.meta.dirname, '../../test/fixtures/interop');
const root = tempDir('labbook-import-run-');
const options = { dataDir: join(root, 'experiments'), rootDir: root, cwd: root, env: {}, configPath: 'agent.yaml' } as const;

beforeAll(() => writeFileSync(join(root, 'agent.yaml'), 'model: gpt-4o-mini\n'));

test('the stored lines are the imported traces as the schema gives them back', async () => {
  const files = [
    join(FIXTURES, 'otlp-genai-chat-tool.json'),
    join(FIXTURES, 'openinference-rag.jsonl'),
    join(FIXTURES, 'otlp-proto-example.json'),
    join(FIXTURES, 'otlp-genai-variants.json'),
  ];
  const run = await importRun({ ...options, format: 'otlp', paths: files, experiment: 'lines' });
  expect(run.finished.manifest.status).toBe('completed');
  const { traces } = await importOtlp(files);
  const expected = traces.map((trace) => `${JSON.stringify(traceSchema.parse(trace))}\n`).join('');
  // Sealed, the lines live in gzip chunks; decompressed they are the file byte for byte.
  expect(await readPlainTraces(run.dir)).toBe(expected);
});

test('a trace the schema refuses is left out with its reason, and the run is partial', async () => {
  // A trace id that is not OTLP hex is kept as written; this one is longer than a trace id may be.
  const longId = `trace-${'x'.repeat(250)}`;
  const span = (traceId: string, spanId: string) => ({
    traceId,
    spanId,
    name: 'step',
    startTimeUnixNano: '1700000000000000000',
    endTimeUnixNano: '1700000001000000000',
    attributes: [{ key: 'input.value', value: { stringValue: 'hello' } }],
  });
  writeFileSync(
    join(root, 'long-id.json'),
    JSON.stringify({
      resourceSpans: [
        { scopeSpans: [{ spans: [span(longId, '0000000000000001'), span('4bf92f3577b34da6a3ce929d0e0e4736', '0000000000000002')] }] },
      ],
    }),
  );
  const run = await importRun({ ...options, format: 'otlp', paths: ['long-id.json'], experiment: 'refused' });
  expect(run.rejected).toEqual([{ id: longId, reason: expect.stringMatching(/^id: .*200/) }]);
  expect(run.finished.manifest.status).toBe('partial');
  expect(run.finished.manifest.statusReason).toMatch(/^1 of 2 imported traces could not be stored: trace-x+: id: /);
  expect(run.finished.manifest.counts.traces).toBe(1);
  expect(run.finished.errors).toEqual([]);
});

test('an imported run of every GenAI generation validates and reads back with its messages, labels and numeric example ids', async () => {
  const run = await importRun({ ...options, format: 'otlp', paths: [join(FIXTURES, 'otlp-genai-variants.json')], experiment: 'variants' });
  expect(run.finished.manifest.status).toBe('completed');
  expect(run.finished.errors).toEqual([]);
  const traces = (await readAllTraces(run.dir)).sort((a, b) => a.id.localeCompare(b.id));
  expect(traces.map((trace) => trace.exampleId)).toEqual(['trip-1', '12', expect.stringMatching(/^ex-/), expect.stringMatching(/^ex-/)]);
  expect(traces[0]!.scores[0]).toMatchObject({ value: 4, label: 'good' });
  expect(traces[1]!.input).toContainEqual({ role: 'tool', content: { km: 465 }, tool_call_id: 'call_d1', cache_hit: true });
  expect(run.finished.manifest.counts.traces).toBe(4);
});
