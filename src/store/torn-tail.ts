import { appendFile, open, truncate } from 'node:fs/promises';

/** A line longer than this is never judged torn: it is left for validate to report. */
const MAX_TAIL_BYTES = 64 * 1024 * 1024;

/**
 * Where the complete lines of a JSON Lines file end. A writer killed halfway through a line
 * leaves bytes after the last newline; one killed and then followed by a newline (a second
 * writer, an editor) leaves a last line that is not JSON. Both are the torn tail; every line
 * before it is kept as it is. Reads only the end of the file.
 */
async function findTornTail(file: string): Promise<{ cut: number; size: number }> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const lastNewline = await lastIndexOfNewline(handle, size);
    if (lastNewline + 1 < size) {
      const rest = await readRange(handle, lastNewline + 1, size);
      if (rest.toString('utf8').trim() !== '') return { cut: lastNewline + 1, size };
    }
    if (lastNewline < 0) return { cut: size, size };
    const previous = await lastIndexOfNewline(handle, lastNewline);
    if (lastNewline - previous - 1 > MAX_TAIL_BYTES) return { cut: size, size };
    const line = (await readRange(handle, previous + 1, lastNewline)).toString('utf8');
    if (line.trim() !== '' && !isJson(line)) return { cut: previous + 1, size };
    return { cut: size, size };
  } finally {
    await handle.close();
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

async function readRange(handle: Awaited<ReturnType<typeof open>>, from: number, to: number): Promise<Buffer> {
  const length = Math.min(to - from, MAX_TAIL_BYTES);
  const buffer = Buffer.alloc(length);
  await handle.read(buffer, 0, length, to - length);
  return buffer;
}

/** Offset of the last `\n` before `end`, or -1. */
async function lastIndexOfNewline(handle: Awaited<ReturnType<typeof open>>, end: number): Promise<number> {
  const chunk = Buffer.alloc(1 << 16);
  let to = end;
  while (to > 0) {
    const from = Math.max(0, to - chunk.length);
    const { bytesRead } = await handle.read(chunk, 0, to - from, from);
    const at = chunk.subarray(0, bytesRead).lastIndexOf(10);
    if (at >= 0) return from + at;
    to = from;
  }
  return -1;
}

/** Moves the bytes after the last complete line to `aside` (appending), then cuts them off. */
export async function setAsideTornTail(file: string, aside: string): Promise<{ file: string; bytes: number } | null> {
  const { cut, size } = await findTornTail(file);
  if (cut >= size) return null;
  const handle = await open(file, 'r');
  let tail: Buffer;
  try {
    tail = Buffer.alloc(size - cut);
    await handle.read(tail, 0, tail.length, cut);
  } finally {
    await handle.close();
  }
  // The torn bytes are safe on disk before traces.jsonl loses them.
  await appendFile(aside, tail[tail.length - 1] === 10 ? tail : Buffer.concat([tail, Buffer.from('\n')]));
  const written = await open(aside, 'r+');
  try {
    await written.sync();
  } finally {
    await written.close();
  }
  await truncate(file, cut);
  return { file: aside, bytes: size - cut };
}
