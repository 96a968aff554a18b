import { FileFormatError } from '../errors/index.ts';
import { findConfigFile } from '../store/storage-settings.ts';
import { readProjectConfig } from '../store/project-config.ts';

/**
 * `retention:` in labbook.config.yaml: which runs `labbook gc` may remove.
 *
 *     retention:
 *       days: 30               # pull-request runs (closed PRs) and local runs older than this may go
 *       keepPerBranch: 5       # the newest runs of each branch always stay
 *       defaultBranch: main    # its runs always stay (default: main)
 *       keep: [<run id>, …]    # pinned runs (a baseline a workflow names, say) always stay
 */
export interface RetentionPolicy {
  days: number;
  keepPerBranch: number;
  defaultBranch: string;
  keep: string[];
}

const DEFAULT_RETENTION: RetentionPolicy = { days: 30, keepPerBranch: 5, defaultBranch: 'main', keep: [] };

const KEYS = ['days', 'keepPerBranch', 'defaultBranch', 'keep'] as const;

/** `fallback` stands in for settings the file leaves out (the action knows the default branch). */
export async function readRetentionPolicy(
  fromDir: string,
  fallback: Partial<RetentionPolicy> = {},
): Promise<RetentionPolicy & { file?: string }> {
  const defaults = { ...DEFAULT_RETENTION, ...fallback };
  const file = findConfigFile(fromDir);
  if (!file) return defaults;
  const config = await readProjectConfig(file);
  const section = config.retention;
  if (section === undefined || section === null) return { ...defaults, file };
  if (typeof section !== 'object' || Array.isArray(section))
    throw new FileFormatError({ file, field: 'retention' }, 'must be a mapping (days, keepPerBranch, defaultBranch, keep)');
  const raw = section as Record<string, unknown>;
  const unknown = Object.keys(raw).find((key) => !(KEYS as readonly string[]).includes(key));
  if (unknown) throw new FileFormatError({ file, field: `retention.${unknown}` }, `unknown setting; retention takes ${KEYS.join(', ')}`);
  const count = (key: 'days' | 'keepPerBranch', min: number) => {
    const value = raw[key];
    if (value === undefined) return defaults[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min)
      throw new FileFormatError({ file, field: `retention.${key}` }, `must be a whole number ≥ ${min}, got ${JSON.stringify(value)}`);
    return value;
  };
  const defaultBranch = raw.defaultBranch ?? defaults.defaultBranch;
  if (typeof defaultBranch !== 'string' || defaultBranch === '')
    throw new FileFormatError({ file, field: 'retention.defaultBranch' }, 'must be a branch name');
  const keep = raw.keep ?? defaults.keep;
  if (!Array.isArray(keep) || keep.some((id) => typeof id !== 'string'))
    throw new FileFormatError({ file, field: 'retention.keep' }, 'must be a list of run ids');
  return { days: count('days', 0), keepPerBranch: count('keepPerBranch', 0), defaultBranch, keep: keep as string[], file };
}
