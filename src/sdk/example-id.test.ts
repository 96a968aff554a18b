import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors/index.ts';
import { canonicalJson } from '../json/canonical-json.ts';
import { exampleIdFromInput } from '../json/example-id.ts';
import { exampleIdOf, normalizeExample } from './example.ts';

describe('canonicalJson', () => {
  it('sorts keys at every depth and follows JSON.stringify otherwise', () => {
    expect(canonicalJson({ b: [2, { d: 4, c: 3 }], a: 1 })).toBe('{"a":1,"b":[2,{"c":3,"d":4}]}');
    expect(canonicalJson({ a: undefined, b: [undefined, NaN] })).toBe('{"b":[null,null]}');
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson({ when: new Date(0) })).toBe('{"when":"1970-01-01T00:00:00.000Z"}');
  });
});

describe('exampleIdFromInput', () => {
  it('is ex- and the first 16 hex digits of the sha256 of the canonical JSON', () => {
    // printf '%s' '{"a":1,"b":[2,{"c":3,"d":4}]}' | sha256sum → 88c3cdf568e74603…
    expect(exampleIdFromInput({ b: [2, { d: 4, c: 3 }], a: 1 })).toBe('ex-88c3cdf568e74603');
    expect(exampleIdFromInput('hello')).toBe('ex-5aa762ae383fbb72');
  });

  it('differs for different inputs', () => {
    expect(exampleIdFromInput({ q: 1 })).not.toBe(exampleIdFromInput({ q: 2 }));
  });
});

describe('examples', () => {
  it('keeps the dataset id, else hashes the input', () => {
    expect(exampleIdOf({ id: 'q-7', input: 'x' })).toBe('q-7');
    expect(exampleIdOf({ id: 7, input: 'x' })).toBe('7');
    expect(exampleIdOf({ input: 'hello' })).toBe('ex-5aa762ae383fbb72');
    expect(() => exampleIdOf({ id: '', input: 'x' })).toThrow(UsageError);
    expect(() => exampleIdOf({ id: { a: 1 }, input: 'x' })).toThrow(UsageError);
  });

  it('moves extra fields to metadata and refuses rows without input', () => {
    const row = normalizeExample({ id: 'a', input: 1, expected: 2, category: 'math', tags: ['t'], metadata: { level: 3 } });
    expect(row).toEqual({ exampleId: 'a', input: 1, expected: 2, tags: ['t'], metadata: { category: 'math', level: 3 } });
    expect(() => normalizeExample({ question: 'q' })).toThrow(/"input"/);
    expect(() => normalizeExample('q')).toThrow(UsageError);
  });
});
