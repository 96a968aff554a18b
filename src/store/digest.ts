import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** sha256 of a file as hex, streamed so large trace files are never held in memory. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The `sha256:<hex>` form used in run.json and deployment records. */
export function toDigest(hex: string): string {
  return `sha256:${hex}`;
}
