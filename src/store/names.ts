import { NAME_MAX_LENGTH, NAME_PATTERN } from '../../schemas/names.ts';
import { InvalidNameError } from '../errors/index.ts';

/**
 * Checks a name that becomes a folder (experiment, run id, environment) and returns it.
 * Rejects `/`, `..`, upper case, a leading dot or dash, and over-long names.
 */
export function assertName(kind: string, value: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new InvalidNameError(kind, String(value ?? ''), 'it is empty');
  if (value.length > NAME_MAX_LENGTH) throw new InvalidNameError(kind, value, `it is longer than ${NAME_MAX_LENGTH} characters`);
  if (!NAME_PATTERN.test(value) || value.includes('..')) {
    throw new InvalidNameError(
      kind,
      value,
      'use lower-case letters, digits, ".", "_" and "-", starting with a letter or digit, without ".."',
    );
  }
  const device = reservedDeviceName(value);
  if (device) {
    throw new InvalidNameError(
      kind,
      value,
      `"${device}" is a device name on Windows, where such a folder cannot be created or checked out; choose another name`,
    );
  }
  if (value.endsWith('.')) throw new InvalidNameError(kind, value, 'it ends with ".", which Windows drops from folder names; remove it');
  return value;
}

/**
 * Windows reserves these names in every folder, whatever the case and whatever follows a dot
 * (`CON`, `con.txt`, `Com1.tar.gz`): a repository holding `experiments/con/` cannot be checked
 * out there. Returns the reserved stem, or null.
 */
const DEVICE_NAMES = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i;

function reservedDeviceName(name: string): string | null {
  const stem = name.split('.')[0]!.trimEnd();
  return DEVICE_NAMES.test(stem) ? stem : null;
}

/** Turns free text (a config file name, say) into a valid name fragment: `GPT-4 Mini.yaml` → `gpt-4-mini`. */
export function slugify(text: string, maxLength = 40): string {
  const slug = text
    .toLowerCase()
    .replace(/\.(ya?ml|json)$/, '')
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[^a-z0-9]+/, '')
    .replace(/[-.]+$/, '')
    .slice(0, maxLength)
    .replace(/[-._]+$/, '');
  return slug || 'run';
}
