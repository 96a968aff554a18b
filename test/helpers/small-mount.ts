import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { afterAll } from 'vitest';

/**
 * A small tmpfs mounted at `dir` for the test file's tests, unmounted after them. Tests run as
 * root, which ignores permission bits, so a read-only or full folder has to be a real file
 * system: `remount,ro` makes it read-only for root too, and its size makes it fill up. Returns
 * why it could not mount (no CAP_SYS_ADMIN, say) instead of throwing, so a test can skip
 * saying so.
 */
export function mountTmpfs(dir: string, sizeKb: number): { ok: true; readOnly: () => void } | { ok: false; why: string } {
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k`, 'labbook-test', dir], { stdio: 'pipe' });
  } catch (error) {
    return { ok: false, why: `cannot mount a tmpfs here (${String((error as { stderr?: Buffer }).stderr ?? error).trim()})` };
  }
  afterAll(() => execFileSync('umount', ['-l', dir], { stdio: 'pipe' }));
  return { ok: true, readOnly: () => execFileSync('mount', ['-o', 'remount,ro', dir], { stdio: 'pipe' }) };
}
