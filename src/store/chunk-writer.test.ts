import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { checkChunk, ChunkCheckError, writeChunks } from './chunk-writer.ts';

const lines = Array.from({ length: 200 }, (_, i) => `{"id":"t${i}","text":"${'word '.repeat(i % 17)}"}\n`).join('');

function plainFile(text: string): { file: string; folder: string } {
  const dir = mkdtempSync(join(tmpdir(), 'labbook-chunks-'));
  writeFileSync(join(dir, 'traces.jsonl'), text);
  return { file: join(dir, 'traces.jsonl'), folder: join(dir, 'traces.tmp') };
}

/** The chunk files in order, decompressed. */
function readBack(folder: string): string[] {
  return readdirSync(folder)
    .sort()
    .map((name) => gunzipSync(readFileSync(join(folder, name))).toString('utf8'));
}

describe('writeChunks', () => {
  it.each([1, 3])('cuts at line ends and records each chunk with the digest of its file (%i at once)', async (concurrency) => {
    const { file, folder } = plainFile(lines);
    const size = Buffer.byteLength(lines);
    const { chunks, plainSha256 } = await writeChunks(file, size, folder, { chunkBytes: 2000, hashPlain: true, concurrency });
    expect(plainSha256).toBe(createHash('sha256').update(lines).digest('hex'));
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.reduce((n, c) => n + c.lines, 0)).toBe(200);
    expect(chunks.reduce((n, c) => n + c.bytes, 0)).toBe(size);
    const plain = readBack(folder);
    plain.forEach((text, i) => {
      expect(chunks[i]!.sha256).toBe(
        createHash('sha256')
          .update(readFileSync(join(folder, readdirSync(folder).sort()[i]!)))
          .digest('hex'),
      );
      // Each chunk ends at the first line end at or past 2,000 bytes (the last holds the rest).
      expect(text.endsWith('\n')).toBe(true);
      if (i < plain.length - 1) expect(text.slice(0, -1).lastIndexOf('\n')).toBeLessThan(1999);
      expect(Buffer.byteLength(text)).toBe(chunks[i]!.bytes);
      expect(text.split('\n').length - 1).toBe(chunks[i]!.lines);
    });
    expect(plain.join('')).toBe(lines);
  });

  it('keeps a last line without its newline, a line longer than a chunk, and writes nothing for an empty file', async () => {
    const long = `{"id":"long","text":"${'x'.repeat(100_000)}"}\n`;
    const text = `{"id":"a"}\n${long}{"id":"b"}\n{"id":"c"}`;
    const { file, folder } = plainFile(text);
    const { chunks } = await writeChunks(file, Buffer.byteLength(text), folder, { chunkBytes: 5 });
    expect(chunks.map((c) => c.lines)).toEqual([1, 1, 1, 1]);
    expect(readBack(folder).join('')).toBe(text);
    const empty = plainFile('');
    expect((await writeChunks(empty.file, 0, empty.folder, { chunkBytes: 5 })).chunks).toEqual([]);
  });

  it('compresses only the bytes it was told of, as a seal does when a writer appends meanwhile', async () => {
    const { file, folder } = plainFile(lines + '{"id":"late"}\n');
    const { chunks } = await writeChunks(file, Buffer.byteLength(lines), folder, { chunkBytes: 1 << 20 });
    expect(chunks[0]!.lines).toBe(200);
    expect(readBack(folder).join('')).toBe(lines);
  });

  it('refuses a chunk whose bytes on disk are not the ones written, naming the file', async () => {
    const { file, folder } = plainFile(lines);
    const [chunk] = (await writeChunks(file, Buffer.byteLength(lines), folder, { chunkBytes: 1 << 20 })).chunks;
    const stored = join(folder, '00000.jsonl.gz');
    await expect(checkChunk(stored, chunk!)).resolves.toBeUndefined();
    const bytes = readFileSync(stored);
    bytes[bytes.length - 5]! ^= 1; // one bit of the gzip trailer, as a torn or mangled write would leave it
    writeFileSync(stored, bytes);
    const refused = checkChunk(stored, chunk!);
    await expect(refused).rejects.toBeInstanceOf(ChunkCheckError);
    await expect(refused).rejects.toThrow(`${stored} reads back as sha256`);
  });
});

describe('sha256FileRange', () => {
  it('hashes the first bytes of a file, on a thread of its own when the file is large', async () => {
    const { sha256FileRange } = await import('./hash-file-range.ts');
    const big = lines.repeat(700); // ~9 MB: over the size that goes to a worker
    const { file } = plainFile(`${big}{"id":"appended later"}\n`);
    const bytes = Buffer.byteLength(big);
    expect(bytes).toBeGreaterThan(8 * 1024 * 1024);
    expect(await sha256FileRange(file, bytes)).toBe(createHash('sha256').update(big).digest('hex'));
    expect(await sha256FileRange(file, 10)).toBe(createHash('sha256').update(big.slice(0, 10)).digest('hex'));
    await expect(sha256FileRange(`${file}.missing`, bytes)).rejects.toThrow(`cannot read ${file}.missing`);
    // The same, on this thread (LiveChunks, whose thread only waits meanwhile).
    expect(await sha256FileRange(file, bytes, { onThisThread: true })).toBe(createHash('sha256').update(big).digest('hex'));
    await expect(sha256FileRange(`${file}.missing`, bytes, { onThisThread: true })).rejects.toThrow('ENOENT');
  });
});
