import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { VALUE_LIMITS } from '../../schemas/value-limits.ts';
import { parseAnnotationFile } from '../../src/annotations/parse-annotation-file.ts';
import { UsageError } from '../../src/errors/index.ts';
import { importRun } from '../../src/interop/import-run.ts';
import { startRun } from '../../src/sdk/index.ts';
import { readAllTraces } from '../helpers/run-traces.ts';
import { parseYaml } from '../../src/store/yaml.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { nested } from './corpus.ts';

/** Where data is written: the SDK, `import` and the YAML every config and annotation goes through. */
const root = tempDir('labbook-hostile-writers-');
const dataDir = join(root, 'experiments');
const configPath = join(root, 'agent.yaml');
beforeAll(() => writeFileSync(configPath, 'model: demo\n'));

describe('the SDK', () => {
  it('records an input at the depth limit, records one past it as an error trace naming the field, and never overflows', async () => {
    const run = await startRun({ experiment: 'sdk', configPath, dataDir, handleCrashes: false });
    // The trace is level 1 and input level 2: 127 more levels reach the limit exactly.
    const atLimit = await run.trace({ input: nested(VALUE_LIMITS.depth - 1) }, () => 'ok', { id: 'a' });
    expect(atLimit.status).toBe('ok');
    const past = await run.trace({ input: nested(VALUE_LIMITS.depth) }, () => 'ok', { id: 'b' });
    expect(past.status).toBe('error');
    // The field and the limit; the input is kept cut at the limit, with a marker where it was cut.
    expect(past.error).toMatch(/^the trace could not be recorded as given \(input\.k\.k.*: nested deeper than 128 levels, cut there\)/);
    // 100,000 levels, with no id: the example id is computed without recursion.
    const abyss = await run.trace({ input: nested(100_000) }, () => 'ok');
    expect(abyss).toMatchObject({ status: 'error', exampleId: expect.stringMatching(/^ex-[0-9a-f]{16}$/) });
    const output = await run.trace({ input: 1 }, () => nested(100_000), { id: 'c' });
    expect(output.error).toMatch(/output\.k\.k.*nested deeper/);
    const appended = run.append({ id: 'd', exampleId: 'd', input: 1, start: 0, end: 1, durationMs: 1, metadata: { deep: nested(200) } });
    expect(appended.error).toMatch(/metadata\.deep\.k.*nested deeper/);
    const result = await run.finish();
    expect(result!.manifest.status).toBe('completed');
    expect(result!.errors).toEqual([]);
    expect((await readAllTraces(run.dir)).map((t) => t.id)).toEqual(['a', 'b', abyss.id, 'c', 'd']);
  });

  it('refuses a trace id with TAB, CR or other hidden characters before running anything', async () => {
    const run = await startRun({ experiment: 'sdk', configPath, dataDir, handleCrashes: false });
    let ran = false;
    for (const id of ['a\tb', 'a\rb', 'a\u202Eb']) {
      await expect(run.trace({ input: 1 }, () => (ran = true), { id })).rejects.toThrow(UsageError);
    }
    expect(ran).toBe(false);
    expect(() => run.append({ id: 'x\ty', exampleId: 'e', input: 1, start: 0, end: 1, durationMs: 1 })).toThrow(
      /contains control or bidirectional-override characters/,
    );
    await run.finish();
  });
});

describe('import', () => {
  const span = (attributes: unknown[]) => ({
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    spanId: '0000000000000001',
    name: 'step',
    startTimeUnixNano: '1700000000000000000',
    endTimeUnixNano: '1700000001000000000',
    attributes,
  });
  it('refuses an input document nested past what an importer walks, naming file and field', async () => {
    const file = join(root, 'abyss.json');
    writeFileSync(
      file,
      `{"resourceSpans":[{"scopeSpans":[{"spans":[${JSON.stringify(span([])).slice(0, -1)},"attributes":[{"key":"k","value":${deepJson(100_000)}}]}]}]}]}`,
    );
    await expect(
      importRun({ format: 'otlp', paths: [file], dataDir, rootDir: root, cwd: root, env: {}, experiment: 'imp', configPath }),
    ).rejects.toThrow(/abyss\.json:1: resourceSpans\.0\.scopeSpans.*nested deeper than 256 levels/);
  });

  it('leaves out a trace past the bounds with its reason, keeping the others', async () => {
    const deep = (levels: number) => {
      let v: unknown = 'x';
      for (let i = 0; i < levels; i++) v = { k: v };
      return v;
    };
    const file = join(root, 'deep-attr.json');
    writeFileSync(
      file,
      JSON.stringify({
        resourceSpans: [
          {
            scopeSpans: [
              {
                spans: [
                  {
                    ...span([
                      { key: 'input.value', value: { stringValue: JSON.stringify(deep(200)) } },
                      { key: 'labbook.trace.id', value: { stringValue: 'deep' } },
                    ]),
                    traceId: '00000000000000000000000000000001',
                  },
                  { ...span([{ key: 'input.value', value: { stringValue: 'hello' } }]), traceId: '00000000000000000000000000000002' },
                ],
              },
            ],
          },
        ],
      }),
    );
    const run = await importRun({
      format: 'otlp',
      paths: [file],
      dataDir,
      rootDir: root,
      cwd: root,
      env: {},
      experiment: 'imp',
      configPath,
    });
    expect(run.rejected).toEqual([{ id: expect.any(String), reason: expect.stringMatching(/nested deeper than 128 levels/) }]);
    expect(run.finished.manifest).toMatchObject({ status: 'partial', counts: { traces: 1 } });
  });
});

function deepJson(levels: number): string {
  return `${'{"arrayValue":{"values":['.repeat(levels)}{"stringValue":"x"}${']}}'.repeat(levels)}`;
}

describe('YAML', () => {
  it('refuses an alias bomb with the line of the first alias', () => {
    const bomb = 'a: &a ["lol","lol"]\nb: &b [*a,*a]\nc: &c [*b,*b]\n';
    expect(() => parseYaml(bomb, 'bomb.yaml')).toThrow(/^bomb\.yaml:2:8: YAML aliases/);
    const entries = `- &e {run: r, trace: t1, name: verdict, value: ok, author: Ada, at: "2026-01-01T00:00:00Z"}\n- *e\n`;
    const parsed = parseAnnotationFile(
      entries,
      { path: 'ann.yaml', file: 'demo/annotations/ann.yaml', experiment: 'demo' },
      { labels: {}, metrics: {} },
    );
    expect(parsed.problems).toEqual([
      expect.objectContaining({ file: 'ann.yaml', line: 2, column: 3, message: expect.stringMatching(/aliases/) }),
    ]);
  });

  it('refuses YAML nested past the limit with its line, however deep', () => {
    expect(() => parseYaml(`a:\n  b: ${'['.repeat(100_000)}`, 'deep.yaml')).toThrow(/^deep\.yaml:2:\d+: invalid YAML: nesting exceeded/);
    expect(() => parseYaml(`x: ${'['.repeat(90)}${']'.repeat(90)}`, 'ok.yaml')).not.toThrow();
  });
});
