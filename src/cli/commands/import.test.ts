import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { encodeTraceRequest } from '../../interop/otlp/protobuf-codec.ts';
import { readRunManifest } from '../../store/run-reader.ts';
import { readAllTraces } from '../../../test/helpers/run-traces.ts';
import { runCli } from '../../../test/helpers/run-cli.ts';
import { tempDir } from '../../../test/helpers/temp-dir.ts';

const FIXTURES = join(import.meta.dirname, '../../../test/fixtures/interop');
const root = tempDir('labbook-import-cli-');
const runsOf = (experiment: string) =>
  existsSync(join(root, 'experiments', experiment, 'runs')) ? readdirSync(join(root, 'experiments', experiment, 'runs')) : [];

beforeAll(() => {
  writeFileSync(join(root, 'labbook.config.yaml'), 'data: experiments\n');
  writeFileSync(join(root, 'agent.yaml'), 'model: gpt-4o-mini\nparams: { temperature: 0 }\n');
});

describe('labbook import', () => {
  test('the OTLP and MLflow samples become runs that labbook validate accepts', async () => {
    const otlp = await runCli(
      [
        'import',
        '--format',
        'otlp',
        join(FIXTURES, 'otlp-genai-chat-tool.json'),
        join(FIXTURES, 'openinference-rag.jsonl'),
        join(FIXTURES, 'otlp-proto-example.json'),
        '--experiment',
        'imported',
        '--config',
        'agent.yaml',
        '--name',
        'from otlp',
      ],
      { cwd: root },
    );
    expect(otlp.code).toBe(0);
    expect(otlp.stdout).toMatch(/^mapped: 4 traces, 12 spans, 1 score from 3 files$/m);
    expect(otlp.stdout).toMatch(/types read from: genai 5 · openinference 5 · none 2/);
    expect(otlp.stdout).toMatch(/repaired: 1 span whose parent was missing made roots/);
    expect(otlp.stdout).toMatch(/not mapped: 1 span of a kind no convention defines \(typed UNKNOWN\) · 2 traces without an input/);
    expect(otlp.stderr).toContain(
      `warning: ${join(FIXTURES, 'openinference-rag.jsonl')}:2: trace d2b1c4a5e6f708192a3b4c5d6e7f8091: span f5f5f5f5f5f5f5f5: openinference.span.kind "BANANA" is not a kind Labbook knows`,
    );

    const mlflow = await runCli(
      ['import', '--format', 'mlflow', join(FIXTURES, 'mlflow'), '--experiment', 'imported', '--config', 'agent.yaml'],
      { cwd: root },
    );
    expect(mlflow.code).toBe(0);
    expect(mlflow.stdout).toMatch(/^mapped: 2 traces, 9 spans, 4 scores, 1 expectation from 2 files$/m);

    const runs = runsOf('imported');
    expect(runs).toHaveLength(2);
    const manifests = await Promise.all(runs.map((id) => readRunManifest(join(root, 'experiments', 'imported', 'runs', id))));
    expect(manifests.map((m) => [m.name, m.status, m.counts.traces]).sort()).toEqual([
      ['agent', 'completed', 2],
      ['from otlp', 'completed', 4],
    ]);
    expect(readFileSync(join(root, 'experiments', 'imported', 'experiment.yaml'), 'utf8')).toMatch(/name: imported/);
    const validate = await runCli(['validate'], { cwd: root });
    expect(validate.stdout + validate.stderr).toMatch(/ok: 1 experiment, 2 runs, 6 traces; 0 errors/);
    expect(validate.code).toBe(0);
  });

  test('export otlp, then import: the same traces, for both imported runs', async () => {
    const withoutTimes = (list: Awaited<ReturnType<typeof readAllTraces>>) =>
      list.map((t) => ({
        ...t,
        spans: t.spans.map(({ start: _s, end: _e, events, ...s }) => ({ ...s, events: events?.map(({ time: _t, ...e }) => e) })),
      }));
    for (const [index, runId] of runsOf('imported').sort().entries()) {
      const original = await readAllTraces(join(root, 'experiments', 'imported', 'runs', runId));
      const exported = await runCli(['export', 'otlp', '--run', runId, '-o', `out/run-${index}.json`], { cwd: root });
      expect(exported.code).toBe(0);
      expect(exported.stderr).toMatch(new RegExp(`wrote ${original.length} traces \\(\\d+ spans\\) of run ${runId}`));
      // To stdout, as JSON or JSON Lines, the same text the file got.
      const file = readFileSync(join(root, `out/run-${index}.json`), 'utf8');
      expect((await runCli(['export', 'otlp', '--run', runId], { cwd: root })).stdout).toBe(file);
      const lines = await runCli(['export', 'otlp', '--run', runId, '-o', '-', '--jsonl'], { cwd: root });
      expect(lines.stdout.trimEnd().split('\n')).toHaveLength(original.length);
      const back = await runCli(
        ['import', '--format', 'otlp', `out/run-${index}.json`, '--experiment', `round-trip-${index}`, '--config', 'agent.yaml'],
        { cwd: root },
      );
      expect(back.code).toBe(0);
      // Nothing to warn about: only the note that the experiment was made.
      expect(back.stderr.split('\n').filter((line) => line && !line.startsWith(`note: created experiment "round-trip-${index}"`))).toEqual(
        [],
      );
      const [copy] = runsOf(`round-trip-${index}`);
      const traces = await readAllTraces(join(root, 'experiments', `round-trip-${index}`, 'runs', copy!));
      expect(withoutTimes(traces)).toEqual(withoutTimes(original));
    }
  });

  test('a file in the wrong format: an error naming it, and no run', async () => {
    const result = await runCli(
      ['import', '--format', 'otlp', join(FIXTURES, 'mlflow/trace-v3.json'), '--experiment', 'wrong', '--config', 'agent.yaml'],
      { cwd: root },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `labbook import: ${join(FIXTURES, 'mlflow/trace-v3.json')}: not OTLP JSON: expected an object with "resourceSpans" (it looks like an MLflow trace: use --format mlflow)\n`,
    );
    expect(existsSync(join(root, 'experiments', 'wrong'))).toBe(false);
  });

  test('a trace too large for one line is left out, loudly, and the run is partial', async () => {
    const spans = Array.from({ length: 3000 }, (_, i) => ({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: (i + 1).toString(16).padStart(16, '0'),
      parentSpanId: i === 0 ? '' : '0000000000000001',
      name: 'step',
      startTimeUnixNano: '1700000000000000000',
      endTimeUnixNano: '1700000001000000000',
      attributes: [{ key: 'input.value', value: { stringValue: 'x'.repeat(1000) } }],
    }));
    const small = { ...spans[0], traceId: '4bf92f3577b34da6a3ce929d0e0e4736' };
    writeFileSync(join(root, 'big.json'), JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [...spans, small] }] }] }));
    const { importRun } = await import('../../interop/import-run.ts');
    const result = await importRun({
      format: 'otlp',
      paths: ['big.json'],
      dataDir: join(root, 'experiments'),
      rootDir: root,
      cwd: root,
      env: {},
      experiment: 'big',
      configPath: 'agent.yaml',
      maxTraceBytes: 1_000_000,
    });
    expect(result.rejected).toEqual([
      {
        id: '0af7651916cd43dd8448eb211c80319c',
        reason: expect.stringMatching(/^3000 spans make a 3 MB line, over the 1 MB a run's traces.jsonl allows for one trace$/),
      },
    ]);
    expect(result.finished.manifest.status).toBe('partial');
    expect(result.finished.manifest.statusReason).toMatch(
      /^1 of 2 imported traces could not be stored: 0af7651916cd43dd8448eb211c80319c: 3000 spans/,
    );
    expect(result.finished.manifest.counts.traces).toBe(1);
  });

  test('without --format, the first file tells it: OTLP JSON, OTLP protobuf, MLflow', async () => {
    const cases = [
      ['otlp-genai-chat-tool.json', 'otlp'],
      ['mlflow/trace-v3.json', 'mlflow'],
    ] as const;
    for (const [file, format] of cases) {
      const experiment = `detected-${format}`;
      const result = await runCli(['import', join(FIXTURES, file), '--experiment', experiment, '--config', 'agent.yaml'], { cwd: root });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain(`format: ${format} (from the content of `);
      expect(runsOf(experiment)).toHaveLength(1);
    }
    // Protobuf: the same spans as the JSON sample, encoded by the codec that serves the receiver.
    writeFileSync(
      join(root, 'spans.binpb'),
      encodeTraceRequest(JSON.parse(readFileSync(join(FIXTURES, 'otlp-genai-chat-tool.json'), 'utf8'))),
    );
    const proto = await runCli(['import', 'spans.binpb', '--experiment', 'detected-pb', '--config', 'agent.yaml'], { cwd: root });
    expect(proto.code, proto.stderr).toBe(0);
    expect(proto.stderr).toContain('format: otlp (from the content of spans.binpb)');
    expect(proto.stderr).toContain('note: created experiment "detected-pb"');
    // A typo of an existing experiment is named, with the one it probably meant.
    const typo = await runCli(['import', 'spans.binpb', '--experiment', 'detected-p', '--config', 'agent.yaml'], { cwd: root });
    expect(typo.stderr).toContain('note: created experiment "detected-p" (did you mean "detected-pb"?)');
    const again = await runCli(['import', 'spans.binpb', '--experiment', 'detected-pb', '--config', 'agent.yaml'], { cwd: root });
    expect(again.stderr).not.toContain('created experiment');
  });

  test('usage errors', async () => {
    writeFileSync(join(root, 'plain.json'), '{"spans": []}');
    const unknownFormat = await runCli(['import', 'plain.json', '--experiment', 'e', '--config', 'agent.yaml'], { cwd: root });
    expect(unknownFormat.code).toBe(2);
    expect(unknownFormat.stderr).toMatch(
      /^labbook import: cannot tell the format of .*plain\.json from its start \(neither OTLP's "resourceSpans" nor an MLflow trace's "info" and "spans"\): give --format otlp or --format mlflow/,
    );
    expect(runsOf('e')).toEqual([]);
    // Text that is not JSON is no format it can tell either: not "format: otlp" and then a protobuf error.
    writeFileSync(join(root, 'notes.json'), 'not json, just notes\n');
    const text = await runCli(['import', 'notes.json', '--experiment', 'e', '--config', 'agent.yaml'], { cwd: root });
    expect(text.code).toBe(2);
    expect(text.stderr).toMatch(/^labbook import: cannot tell the format of .*notes\.json from its start/);
    expect(runsOf('e')).toEqual([]);
    // An empty --name is refused, as labbook run refuses it, rather than dropped for the config's name.
    const unnamed = await runCli(
      ['import', 'plain.json', '--format', 'otlp', '--experiment', 'e', '--config', 'agent.yaml', '--name', ' '],
      {
        cwd: root,
      },
    );
    expect(unnamed.code).toBe(2);
    expect(unnamed.stderr.split('\n')[0]).toBe(
      'labbook import: --name: a run name cannot be empty or only spaces: leave it out to name the run after its config',
    );
    expect(runsOf('e')).toEqual([]);
    const badFormat = await runCli(['import', '--format', 'zipkin', 'x.json', '--experiment', 'e', '--config', 'agent.yaml'], {
      cwd: root,
    });
    expect(badFormat.stderr).toMatch(/--format must be otlp or mlflow, not "zipkin"/);
    const noConfig = await runCli(['import', '--format', 'otlp', 'x.json', '--experiment', 'e'], { cwd: root });
    expect(noConfig.stderr).toMatch(/--config is required/);
    const missing = await runCli(['import', '--format', 'otlp', 'nope.json', '--experiment', 'e', '--config', 'agent.yaml'], { cwd: root });
    expect(missing).toMatchObject({ code: 1, stderr: `labbook import: file not found: ${join(root, 'nope.json')}\n` });
  });
});

describe('labbook export', () => {
  test('dispatches on its first positional and refuses options of the other format', async () => {
    const none = await runCli(['export'], { cwd: root });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^labbook export: give a sub-command: labbook export takes otlp or csv/);
    const unknown = await runCli(['export', 'parquet'], { cwd: root });
    expect(unknown.stderr).toMatch(/^labbook export: unknown sub-command "parquet"; labbook export takes otlp or csv/);
    const mixed = await runCli(['export', 'otlp', '--run', 'x', '--excel', '-o', 'f.json'], { cwd: root });
    expect(mixed.stderr).toMatch(/^labbook export: --excel is not an option of "labbook export otlp"/);
    const noRun = await runCli(['export', 'otlp', '--run', 'no-such-run', '-o', 'f.json'], { cwd: root });
    expect(noRun.code).toBe(1);
    expect(noRun.stderr).toMatch(/run not found: no-such-run/);
    expect(existsSync(join(root, 'f.json'))).toBe(false);
  });
});
