import { describe, expect, test } from 'vitest';
import { SPAN_TYPES } from '../../schemas/span.ts';
import { importOtlpRequests } from './otlp/import-otlp.ts';
import { traceToOtlpSpans, wrapSpans } from './otlp/export.ts';
import { extractSpanSemantics } from './span-semantics.ts';
import { EXPORT_KINDS, findSpanKindRule, SPAN_KIND_ATTRIBUTES, SPAN_KIND_RULES } from './span-kind-map.ts';

const keyOf = (convention: string) => SPAN_KIND_ATTRIBUTES.find((entry) => entry.convention === convention)!.key;

describe('span kind rules: each row maps its attribute value to its type', () => {
  test.each(SPAN_KIND_RULES.map((rule) => [rule.convention, rule.value, rule.type] as const))('%s %s → %s', (convention, value, type) => {
    const semantics = extractSpanSemantics({ attributes: { [keyOf(convention)]: value } });
    expect(semantics.type).toBe(type);
    expect(semantics.kindSource).toBe(convention);
    expect(semantics.unknownKind).toBeUndefined();
  });
});

describe('export kinds: each type is written in the conventions other backends read, and read back', () => {
  test.each(SPAN_TYPES.map((type) => [type] as const))('%s', (type) => {
    const kinds = EXPORT_KINDS[type];
    // What the exporter writes for OpenInference and GenAI is a known kind of that convention…
    expect(findSpanKindRule('openinference', kinds.openinference)).toBeDefined();
    if (kinds.genai) expect(findSpanKindRule('genai', kinds.genai)?.type).toBe(type);
    // …and the exact type survives an export and import.
    const trace = {
      id: 't',
      exampleId: 'e',
      input: 'q',
      status: 'ok' as const,
      start: 1,
      end: 2,
      durationMs: 1,
      scores: [],
      tags: [],
      spans: [{ id: 's', parentId: null, name: 'n', type, start: 1, end: 2, status: 'ok' as const }],
    };
    const back = importOtlpRequests([wrapSpans(traceToOtlpSpans(trace))]).traces[0]!;
    expect(back.spans[0]!.type).toBe(type);
    expect(back.spans[0]!.attributes).toBeUndefined();
  });
});

describe('kind resolution', () => {
  test('a value no convention defines is UNKNOWN and reported', () => {
    const semantics = extractSpanSemantics({ attributes: { 'openinference.span.kind': 'BANANA' } });
    expect(semantics.type).toBe('UNKNOWN');
    expect(semantics.unknownKind).toEqual({ key: 'openinference.span.kind', value: 'BANANA' });
    expect(semantics.attributes).toEqual({ 'openinference.span.kind': 'BANANA' });
  });

  test('an unknown value in one convention gives way to a known one in the next', () => {
    const semantics = extractSpanSemantics({ attributes: { 'mlflow.spanType': '"MY_STEP"', 'gen_ai.operation.name': 'chat' } });
    expect(semantics.type).toBe('CHAT_MODEL');
    expect(semantics.unknownKind).toBeUndefined();
    expect(semantics.attributes).toEqual({ 'mlflow.spanType': '"MY_STEP"' });
  });

  test('MLflow JSON-encoded kinds are decoded, plain strings accepted', () => {
    expect(extractSpanSemantics({ attributes: { 'mlflow.spanType': '"RETRIEVER"' } }).type).toBe('RETRIEVER');
    expect(extractSpanSemantics({ attributes: { 'mlflow.spanType': 'RETRIEVER' } }).type).toBe('RETRIEVER');
  });

  test('a kind the type implies is dropped; one it does not is kept for the next export', () => {
    expect(extractSpanSemantics({ attributes: { 'gen_ai.operation.name': 'chat' } }).attributes).toEqual({});
    expect(extractSpanSemantics({ attributes: { 'gen_ai.operation.name': 'generate_content' } }).attributes).toEqual({
      'gen_ai.operation.name': 'generate_content',
    });
    expect(extractSpanSemantics({ attributes: { 'openinference.span.kind': 'PROMPT' } }).attributes).toEqual({
      'openinference.span.kind': 'PROMPT',
    });
  });

  test('a span without any kind attribute is UNKNOWN without a warning', () => {
    const semantics = extractSpanSemantics({ attributes: { 'http.method': 'GET' } });
    expect(semantics).toMatchObject({ type: 'UNKNOWN', kindSource: 'none' });
    expect(semantics.unknownKind).toBeUndefined();
  });
});
