import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { rename, writeFile, rm } from 'node:fs/promises';
import { createWriteStream, type WriteStream, renameSync, rmSync, writeFileSync } from 'node:fs';

/**
 * Writes a file by writing a temporary sibling and renaming it over the target, so a reader
 * (or a crash) never sees half a file.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, data);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** The synchronous twin, for exit handlers where nothing asynchronous may run. */
export function writeFileAtomicSync(file: string, data: string | Uint8Array): void {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(temp, data);
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/**
 * Writes a file from chunks produced one at a time (a CSV of a large run) into a temporary
 * sibling, renamed over the target only once every chunk is written and flushed. If producing
 * a chunk throws (a bad trace line, say), the temporary file is removed and the target is
 * left as it was: no half-written file ever sits where a complete one is expected.
 */
export async function writeTextAtomic(file: string, chunks: AsyncIterable<string> | Iterable<string>): Promise<void> {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const out = createWriteStream(temp, { flags: 'wx' });
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  failed.catch(() => {}); // observed below; keeps an early error from being unhandled
  try {
    for await (const chunk of chunks) {
      if (!out.write(chunk, 'utf8')) await Promise.race([once(out, 'drain'), failed]);
    }
    out.end();
    await Promise.race([once(out, 'close'), failed]); // 'close': flushed and the descriptor released
    await rename(temp, file);
  } catch (error) {
    await discardPartial(out, temp);
    throw error;
  }
}

/**
 * Destroys a write stream and removes its file. The stream opens its file asynchronously and
 * destroying it waits for that open, so the file is removed only once the stream has closed:
 * removed earlier, the open could create it again after (a CI run saw one left behind).
 */
export async function discardPartial(out: WriteStream, file: string): Promise<void> {
  if (!out.closed) {
    const closed = once(out, 'close');
    out.destroy();
    await closed.catch(() => {}); // a stream that failed to open still closes
  }
  await rm(file, { force: true });
}
