import { expect, it } from 'vitest';
import { wholeLines } from './whole-lines.ts';

it('writes each completed group of lines once, holding a line until its end arrives or the stream ends', () => {
  const written: string[] = [];
  const lines = wholeLines((text) => written.push(text));
  for (const chunk of ['ha', 'lf\nsec', 'ond\n', '\n', 'a\nb\nc', '']) lines.push(chunk);
  expect(written).toEqual(['half', 'second', '', 'a\nb']);
  lines.flush();
  lines.flush();
  expect(written).toEqual(['half', 'second', '', 'a\nb', 'c']);
});

it('passes on a line of more than a mebibyte without waiting for its end', () => {
  const written: string[] = [];
  const lines = wholeLines((text) => written.push(text));
  lines.push('x'.repeat(1024 * 1024));
  expect(written).toEqual([]);
  lines.push('x');
  expect(written.map((text) => text.length)).toEqual([1024 * 1024 + 1]);
});
