import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256Hex, toDigest } from '../store/digest.ts';
import { RUN_FILES } from '../store/layout.ts';

/**
 * The digest that stands for a whole run: the sha256 of its SHA256SUMS, which lists the sha256
 * of every other file (run.json included). The evaluation job records it where only its own
 * workflow run can write (an artifact of that run: run-evidence-file.ts); deploy compares.
 */
export async function runContentDigest(runDir: string): Promise<string> {
  return toDigest(sha256Hex(await readFile(join(runDir, RUN_FILES.sums))));
}
