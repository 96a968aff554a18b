import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJsonlLines, type JsonlLine } from './jsonl-reader.ts';

async function collect(file: string, maxLineBytes?: number): Promise<JsonlLine[]> {
  const lines: JsonlLine[] = [];
  for await (const line of readJsonlLines(file, { maxLineBytes })) lines.push(line);
  return lines;
}

describe('readJsonlLines', () => {
  const dir = mkdtempSync(join(tmpdir(), 'labbook-jsonl-'));

  it('numbers lines from 1, skips blank ones and reads a last line without newline', async () => {
    const file = join(dir, 'a.jsonl');
    writeFileSync(file, '{"a":1}\n\n{"b":2}\r\n{"c":3}');
    const lines = await collect(file);
    expect(lines.map((l) => [l.line, l.text?.trim()])).toEqual([
      [1, '{"a":1}'],
      [3, '{"b":2}'],
      [4, '{"c":3}'],
    ]);
  });

  it('reports a line over the limit with its size and keeps reading after it', async () => {
    const file = join(dir, 'b.jsonl');
    writeFileSync(file, `{"ok":1}\n"${'x'.repeat(5000)}"\n{"ok":2}\n`);
    const lines = await collect(file, 1000);
    expect(lines[0]).toEqual({ line: 1, text: '{"ok":1}' });
    expect(lines[1]).toEqual({ line: 2, tooLong: { bytes: 5002 } });
    expect(lines[2]).toEqual({ line: 3, text: '{"ok":2}' });
  });

  it('handles lines split across read chunks and multi-byte characters', async () => {
    const file = join(dir, 'c.jsonl');
    const big = 'é'.repeat(700_000); // 1.4 MB: crosses the 1 MiB chunk boundary inside a character
    writeFileSync(file, `"${big}"\n"tail"\n`);
    const lines = await collect(file);
    expect(JSON.parse(lines[0]!.text!)).toBe(big);
    expect(lines[1]).toEqual({ line: 2, text: '"tail"' });
  });

  it('reports a too-long final line without a newline', async () => {
    const file = join(dir, 'd.jsonl');
    writeFileSync(file, `{"ok":1}\n${'y'.repeat(3000)}`);
    const lines = await collect(file, 1000);
    expect(lines[1]).toEqual({ line: 2, tooLong: { bytes: 3000 } });
  });
});
