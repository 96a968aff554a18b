import { basename } from 'node:path';
import type { Direction, MetricKind } from '../../schemas/experiment.ts';
import { NAME_MAX_LENGTH, NAME_PATTERN } from '../../schemas/names.ts';
import { UsageError } from '../errors/index.ts';

/**
 * The language of the starter evaluation: `js` (`eval.mjs`) or `ts` (`eval.ts`), each with a
 * Python `eval.py` beside it for agents in other languages, or `py` (`eval.py` alone, and an
 * evaluate workflow that sets up Python instead of Node).
 */
const INIT_LANGS = ['js', 'ts', 'py'] as const;
export type InitLang = (typeof INIT_LANGS)[number];

export interface InitMetric {
  name: string;
  direction: Direction;
  kind: MetricKind;
}

const METRIC_NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

/**
 * `--metric name[:higher|lower]`, repeatable. The first is the primary metric, scored
 * pass/fail by the starter script (so declared `boolean`); the others are numbers.
 * Default: `correct:higher`.
 */
export function parseMetrics(flags: string[] | undefined): InitMetric[] {
  const given = flags && flags.length > 0 ? flags : ['correct:higher'];
  const metrics: InitMetric[] = [];
  for (const [index, flag] of given.entries()) {
    const [name = '', direction = 'higher', ...extra] = flag.split(':');
    if (!METRIC_NAME.test(name) || extra.length > 0 || (direction !== 'higher' && direction !== 'lower')) {
      throw new UsageError(
        `--metric "${flag}": write name:higher or name:lower (a name of letters, digits, "_", "." and "-", starting with a letter)`,
      );
    }
    if (metrics.some((m) => m.name === name)) throw new UsageError(`--metric "${name}" is given twice`);
    metrics.push({ name, direction, kind: index === 0 ? 'boolean' : 'number' });
  }
  return metrics;
}

export function parseLang(flag: string | undefined): InitLang {
  const lang = flag ?? 'js';
  if (!(INIT_LANGS as readonly string[]).includes(lang))
    throw new UsageError(`--lang "${lang}": use js, ts or py (an agent in any other language records through eval.py or OpenTelemetry)`);
  return lang as InitLang;
}

/** `--experiment`, else the repository folder's name when it is a valid name, else `main`. */
export function experimentName(flag: string | undefined, rootDir: string): string {
  if (flag !== undefined) {
    if (flag.length > NAME_MAX_LENGTH)
      throw new UsageError(`--experiment: a name is at most ${NAME_MAX_LENGTH} characters; this one has ${flag.length}`);
    if (!isName(flag))
      throw new UsageError(`--experiment "${flag}": use lower-case letters, digits, ".", "_" and "-", starting with a letter or digit`);
    return flag;
  }
  const folder = basename(rootDir)
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .replace(/[-._]+$/, '');
  return isName(folder) ? folder : 'main';
}

/** A branch or owner/name given on the command line, checked enough to be safe in YAML. */
export function checkedFlag(flag: string, value: string, pattern: RegExp, expected: string): string {
  if (!pattern.test(value)) throw new UsageError(`--${flag} "${value}": ${expected}`);
  return value;
}

function isName(value: string): boolean {
  return value.length > 0 && value.length <= NAME_MAX_LENGTH && NAME_PATTERN.test(value) && !value.includes('..');
}
