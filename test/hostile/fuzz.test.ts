import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { experimentSchema } from '../../schemas/experiment.ts';
import { parseAnnotationFile } from '../../src/annotations/parse-annotation-file.ts';
import { FileFormatError } from '../../src/errors/index.ts';
import { importOtlpRequests } from '../../src/interop/otlp/import-otlp.ts';
import { importOtlp } from '../../src/interop/otlp/read-otlp-files.ts';
import { parseTraceLine } from '../../src/store/parse-trace.ts';
import { parseYamlMapping } from '../../src/store/yaml.ts';
import { describeZodIssue } from '../../src/json/zod-issue.ts';
import { makeTrace } from '../helpers/make-trace.ts';
import { tempDir } from '../helpers/temp-dir.ts';

/**
 * Fuzzing the parsers that take files from users and other tools, each for a bounded time
 * (a few seconds, whatever the machine): no crash other than a `FileFormatError`, no hang, and
 * every rejection names the file it is about.
 */
const BUDGET = { numRuns: 2000, interruptAfterTimeLimit: 3000, markInterruptAsFailure: false } as const;
const FILE = 'fuzzed-file.jsonl';

/** Either accepted, or refused by a FileFormatError that starts with the file's name. */
function acceptedOrNamed(run: () => unknown, file: string): void {
  try {
    run();
  } catch (error) {
    if (!(error instanceof FileFormatError)) throw error;
    expect(error.message.startsWith(`${file}`)).toBe(true);
  }
}

/** Text edits: a valid document with a slice replaced, so the fuzzer reaches deep into it. */
const mutated = (base: string) =>
  fc
    .tuple(fc.nat(base.length), fc.nat(20), fc.string({ unit: 'binary', maxLength: 20 }))
    .map(([at, cut, insert]) => base.slice(0, at) + insert + base.slice(at + cut));

/** Nesting of any depth up to far past every limit, as text (JSON.stringify would overflow); balanced or cut short. */
const deepText = fc
  .tuple(fc.integer({ min: 0, max: 200_000 }), fc.constantFrom(['[', ']'], ['{"a":', '}'], ['[{"b":', '}]']), fc.boolean())
  .map(([n, [open, close], balanced]) => (balanced ? `${open!.repeat(n)}0${close!.repeat(n)}` : open!.repeat(n)));

describe('fuzzing', () => {
  it('the trace line parser', () => {
    const valid = JSON.stringify(makeTrace(1));
    const line = fc.oneof(
      fc.json(),
      mutated(valid),
      fc.jsonValue().map((value) => JSON.stringify({ ...makeTrace(2), input: value, metadata: { v: value } })),
      fc
        .tuple(fc.constantFrom('input', 'output', 'expected'), deepText)
        .map(([field, deep]) => valid.replace(`"${field}":`, `"${field}":${deep}`)),
      fc.string({ unit: 'grapheme' }).map((id) => JSON.stringify({ ...makeTrace(3), id })),
    );
    fc.assert(
      fc.property(line, (text) => acceptedOrNamed(() => parseTraceLine({ line: 1, text }, FILE), FILE)),
      BUDGET,
    );
  });

  it('the annotation file parser', () => {
    const good = `- run: r1\n  trace: t1\n  name: verdict\n  value: ok\n  author: Ada\n  at: 2026-01-01T00:00:00Z\n  note: fine\n`;
    const text = fc.oneof(
      fc.string({ unit: 'binary' }),
      mutated(good),
      mutated(`- &a {run: r1, trace: t1, name: v, value: ok, author: A, at: "2026-01-01T00:00:00Z"}\n- *a\n`),
      deepText.map((deep) => `- run: ${deep}\n`),
      fc.jsonValue().map((value) => JSON.stringify(value)),
    );
    const source = { path: 'fuzzed-annotations.yaml', file: 'demo/annotations/fuzzed-annotations.yaml', experiment: 'demo' };
    fc.assert(
      fc.property(text, (body) => {
        const parsed = parseAnnotationFile(body, source, { labels: { verdict: ['ok', 'bad'] }, metrics: {} });
        for (const problem of parsed.problems) expect(problem.file).toBe(source.path);
      }),
      BUDGET,
    );
  });

  it('the config and experiment YAML parser', () => {
    const experiment = `name: demo\nmetrics:\n  - name: correct\n    direction: higher\nannotations:\n  labels:\n    verdict: [ok, bad]\n`;
    const text = fc.oneof(
      fc.string({ unit: 'binary' }),
      mutated(experiment),
      mutated('model: demo\nparams:\n  top_k: 3\n'),
      deepText.map((deep) => `a: ${deep}`),
      fc.jsonValue().map((v) => `name: ${JSON.stringify(v)}\n`),
    );
    const file = 'fuzzed-experiment.yaml';
    fc.assert(
      fc.property(text, (body) =>
        acceptedOrNamed(() => {
          const raw = parseYamlMapping(body, file);
          const result = experimentSchema.safeParse(raw);
          if (!result.success) describeZodIssue(result.error.issues[0]!, raw); // its preview must survive any value
        }, file),
      ),
      BUDGET,
    );
  });

  it('the OTLP JSON importer, in memory and from files', async () => {
    const anyValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.record({ stringValue: fc.string() }),
        fc.record({ intValue: fc.oneof(fc.string(), fc.integer()) }),
        fc.record({ arrayValue: fc.record({ values: fc.array(tie('value'), { maxLength: 3 }) }) }),
        fc.record({ kvlistValue: fc.record({ values: fc.array(fc.record({ key: fc.string(), value: tie('value') }), { maxLength: 3 }) }) }),
        fc.jsonValue(),
      ),
    })).value;
    const span = fc.record(
      {
        traceId: fc.oneof(fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 32, maxLength: 32 }), fc.string()),
        spanId: fc.oneof(fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 16, maxLength: 16 }), fc.string()),
        parentSpanId: fc.string(),
        name: fc.string(),
        startTimeUnixNano: fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n }).map(String), fc.jsonValue()),
        endTimeUnixNano: fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n }).map(String), fc.jsonValue()),
        attributes: fc.array(
          fc.record({
            key: fc.constantFrom(
              'input.value',
              'output.value',
              'gen_ai.prompt',
              'llm.input_messages.0.message.content',
              'labbook.trace.id',
              'llm.input_messages.4294967294.message.role',
              'x',
            ),
            value: anyValue,
          }),
          { maxLength: 5 },
        ),
      },
      { requiredKeys: [] },
    );
    const request = fc.oneof(
      fc.jsonValue(),
      fc.record({
        resourceSpans: fc.array(
          fc.record({ scopeSpans: fc.array(fc.record({ spans: fc.array(span, { maxLength: 4 }) }), { maxLength: 2 }) }),
          { maxLength: 2 },
        ),
      }),
    );
    fc.assert(
      fc.property(fc.array(request, { maxLength: 3 }), (requests) =>
        acceptedOrNamed(() => importOtlpRequests(requests, 'fuzzed-body'), 'fuzzed-body'),
      ),
      BUDGET,
    );

    const dir = tempDir('labbook-fuzz-otlp-');
    const text = fc.oneof(
      fc.string({ unit: 'binary' }),
      request.map((r) => JSON.stringify(r) ?? 'null'),
      deepText.map((deep) => `{"resourceSpans":${deep}`),
      mutated('{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"01","spanId":"02","name":"s"}]}]}]}\n'),
    );
    let n = 0;
    await fc.assert(
      fc.asyncProperty(text, async (body) => {
        const file = join(dir, `f${n++}.json`);
        writeFileSync(file, body);
        try {
          await importOtlp(file);
        } catch (error) {
          if (!(error instanceof FileFormatError)) throw error;
          expect(error.message.startsWith(file)).toBe(true);
        }
      }),
      { ...BUDGET, numRuns: 300 },
    );
  });
});
