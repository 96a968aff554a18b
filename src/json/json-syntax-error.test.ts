import { describe, expect, it } from 'vitest';
import { jsonSyntaxError } from './json-syntax-error.ts';

const failure = (text: string) => {
  try {
    JSON.parse(text);
  } catch (error) {
    return error;
  }
  throw new Error('parsed');
};

describe('jsonSyntaxError', () => {
  it('names a byte-order mark, which an editor does not show, instead of an invisible token', () => {
    const text = '\uFEFF{"id": "t1"}';
    const error = jsonSyntaxError('traces.jsonl', text, failure(text), 3);
    expect(error.message).toBe(
      'traces.jsonl:3:1: malformed JSON: a UTF-8 byte-order mark (U+FEFF) where JSON starts; save the file as UTF-8 without one',
    );
  });

  it('keeps the line and column of an ordinary mistake and says when the input is cut off', () => {
    expect(jsonSyntaxError('a.json', '{"a": 1,}', failure('{"a": 1,}')).message).toMatch(/^a\.json:1:9: malformed JSON: /);
    expect(jsonSyntaxError('a.json', '{"a": ', failure('{"a": ')).message).toMatch(/^a\.json:1:7: truncated JSON: /);
  });
});
