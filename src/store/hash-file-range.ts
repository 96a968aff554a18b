import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Worker } from 'node:worker_threads';

/** Below this many bytes a file is hashed on the calling thread: a worker takes ~30 ms to start. */
const OFF_THREAD_FROM = 8 * 1024 * 1024;

/**
 * The worker's whole program, plain CommonJS evaluated as a string, so it runs the same from the
 * compiled package, the bundled action and the TypeScript sources (a worker file would need a
 * loader for each).
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { createReadStream } = require('node:fs');
const hash = createHash('sha256');
createReadStream(workerData.file, { end: workerData.bytes - 1, highWaterMark: 1 << 20 })
  .on('data', (data) => hash.update(data))
  .on('error', (error) => parentPort.postMessage({ error: error.message }))
  .on('end', () => parentPort.postMessage({ sha256: hash.digest('hex') }));
`;

/**
 * sha256 (hex) of the first `bytes` of a file. A large file is hashed on a worker thread: SHA-256
 * runs on the thread that asks for it, and sealing a run hashes its whole `traces.jsonl` while
 * that thread parses it (848 MB: 0.7 s of the 4.2 s sealing took on the main thread).
 * `onThisThread`, for a caller whose thread only waits meanwhile: a worker's start cost more
 * than it saved (26 MB: 100-120 ms through a worker, 40-60 ms here).
 */
export async function sha256FileRange(file: string, bytes: number, options: { onThisThread?: boolean } = {}): Promise<string> {
  if (bytes < OFF_THREAD_FROM || options.onThisThread) {
    const hash = createHash('sha256');
    if (bytes > 0)
      for await (const data of createReadStream(file, { end: bytes - 1, highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>)
        hash.update(data);
    return hash.digest('hex');
  }
  const worker = new Worker(WORKER, { eval: true, workerData: { file, bytes } });
  try {
    const reply = await new Promise<{ sha256?: string; error?: string }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the hashing thread stopped (exit code ${code})`)));
    });
    if (reply.error !== undefined) throw new Error(`cannot read ${file}: ${reply.error}`);
    return reply.sha256!;
  } finally {
    void worker.terminate();
  }
}
