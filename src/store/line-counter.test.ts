import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LineCounter } from './line-counter.ts';

describe('LineCounter', () => {
  it('counts the lines appended since the last poll, across reads larger than its buffer', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'labbook-lines-')), 'traces.jsonl');
    const counter = new LineCounter(file);
    expect(await counter.poll()).toBe(0); // no file yet
    appendFileSync(file, '{"a":1}\n{"a":2}\n{"a":');
    expect(await counter.poll()).toBe(2);
    appendFileSync(file, '3}\n');
    expect(await counter.poll()).toBe(3);
    // 3 MB of lines: three reads of the 1 MB buffer, the last one short (stale bytes past it must not count).
    const line = `{"text":"${'x'.repeat(990)}"}\n`;
    appendFileSync(file, line.repeat(3000));
    expect(await counter.poll()).toBe(3003);
    expect(await counter.poll()).toBe(3003);
  });
});
