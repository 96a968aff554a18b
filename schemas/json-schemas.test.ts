import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderJsonSchemas } from './json-schemas.ts';
import { traceSchema } from './trace.ts';

const jsonDir = join(import.meta.dirname, 'json');

describe('generated JSON Schema files', () => {
  it('are up to date with the zod schemas (run "npm run schemas" after changing one)', () => {
    const rendered = renderJsonSchemas();
    expect(readdirSync(jsonDir).sort()).toEqual(Object.keys(rendered).sort());
    for (const [file, text] of Object.entries(rendered)) {
      expect(readFileSync(join(jsonDir, file), 'utf8'), `schemas/json/${file} is stale`).toBe(text);
    }
  });

  it('describe the span types a script in another language must use', () => {
    const trace = JSON.parse(readFileSync(join(jsonDir, 'trace.schema.json'), 'utf8'));
    const spanType = trace.properties.spans.items.properties.type;
    expect(spanType.enum).toContain('RETRIEVER');
    expect(trace.required).toEqual(expect.arrayContaining(['id', 'exampleId', 'start', 'end', 'durationMs']));
  });
});

describe('traceSchema', () => {
  it('fills defaults so minimal traces from other languages are accepted', () => {
    const trace = traceSchema.parse({ id: 't', exampleId: 'e', input: 'x', start: 0, end: 1, durationMs: 1 });
    expect(trace).toMatchObject({ status: 'ok', spans: [], scores: [], tags: [] });
  });
});
