import { sumsDigest } from '../store/sha256sums.ts';

/**
 * The digest that stands for a whole run: the sha256 of its SHA256SUMS, which lists the sha256
 * of every other file (run.json included). The evaluation job records it where only its own
 * workflow run can write (an artifact of that run: run-evidence-file.ts); deploy compares.
 */
export async function runContentDigest(runDir: string): Promise<string> {
  return sumsDigest(runDir);
}
