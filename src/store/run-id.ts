import { randomBytes } from 'node:crypto';
import { slugify } from './names.ts';

/**
 * A run id that sorts by creation time and is unique without coordination between writers:
 * `20261127-042452-baseline-3f9a1c` (UTC time, the config's name, 24 random bits).
 */
export function newRunId(configName: string, now: Date = new Date(), random: string = randomBytes(3).toString('hex')): string {
  const iso = now.toISOString(); // 2026-11-27T04:24:52.123Z
  const stamp = `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}`;
  return `${stamp}-${slugify(configName, 40)}-${random}`;
}
