import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeTextAtomic } from './atomic-write.ts';

/** Takes an export's text as it is made (stdout, say), waiting when the reader is slow. */
type TextSink = (chunk: string) => Promise<void>;

/**
 * Where an export writes: a file path, written whole or not at all (see writeTextAtomic), or a
 * sink that takes each chunk as it is produced (what is already written stays if a later chunk
 * fails).
 */
export type TextTarget = string | TextSink;

/** Writes chunks of text to a target; a file's folder is made first. */
export async function writeText(target: TextTarget, chunks: AsyncIterable<string> | Iterable<string>): Promise<void> {
  if (typeof target === 'string') {
    await mkdir(dirname(target), { recursive: true });
    await writeTextAtomic(target, chunks);
    return;
  }
  for await (const chunk of chunks) await target(chunk);
}
