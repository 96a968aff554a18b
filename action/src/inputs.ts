import { isAbsolute } from 'node:path';
import { z } from 'zod';
import type { Shard } from '../../schemas/run-manifest.ts';
import { nameSchema } from '../../schemas/names.ts';
import { parseShard } from '../../src/sdk/shard.ts';
import { InputError } from './input-error.ts';

/** Every input of action.yml, by its name there. */
export const INPUT_NAMES = [
  'mode', 'experiment', 'config', 'command', 'traces', 'dataset', 'name', 'data-path', 'data-branch',
  'shard', 'baseline', 'comment', 'fail-on-regression', 'github-token',
] as const;
export type InputName = (typeof INPUT_NAMES)[number];

/** The modes this version knows. Later modes (deploy) add a member here and to the union below. */
export const MODES = ['evaluate', 'merge'] as const;

interface CommonInputs {
  experiment: string;
  /** The agent config file, relative to the workspace. */
  config: string;
  name?: string;
  dataPath: string;
  /** Undefined: the branch the workflow runs on. */
  dataBranch?: string;
  /** A branch or a run id; undefined: the latest completed CI run of the config on the default branch. */
  baseline?: string;
  /** Undefined: comment when the event is a pull request. */
  comment?: boolean;
  failOnRegression: boolean;
  token?: string;
}

/** What an evaluation gets its traces from. */
export type EvaluationWork = { kind: 'command'; command: string } | { kind: 'traces'; file: string };

export interface EvaluateInputs extends CommonInputs {
  mode: 'evaluate';
  work: EvaluationWork;
  dataset?: string;
  shard?: Shard;
}

export interface MergeInputs extends CommonInputs {
  mode: 'merge';
}

export type ActionInputs = EvaluateInputs | MergeInputs;

const yamlBoolean = z.enum(['true', 'True', 'TRUE', 'false', 'False', 'FALSE'], {
  error: 'expected true or false',
});
const relativePath = z.string().refine((p) => !isAbsolute(p) && !p.split(/[\\/]/).includes('..'), 'must be a path inside the workspace (relative, without "..")');
const branchName = z
  .string()
  .regex(/^[A-Za-z0-9._/-]+$/, 'is not a branch name (letters, digits, ".", "_", "-" and "/")')
  .refine((b) => !b.includes('..') && !b.startsWith('-') && !b.startsWith('/') && !b.endsWith('/') && !b.endsWith('.lock') && !b.includes('//'), 'is not a valid git branch name');
const shardSpec = z.string().transform((text, ctx) => {
  try {
    return parseShard(text);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message.replace(/^invalid shard "[^"]*": /, '') });
    return z.NEVER;
  }
});

/** The schema of the raw inputs, keyed by their names in action.yml. */
const rawInputsSchema = z.object({
  mode: z.string().default('evaluate'),
  experiment: nameSchema,
  config: relativePath,
  command: z.string().optional(),
  traces: relativePath.optional(),
  dataset: relativePath.optional(),
  name: z.string().max(200).optional(),
  'data-path': relativePath.default('experiments'),
  'data-branch': branchName.optional(),
  shard: shardSpec.optional(),
  baseline: z.string().max(200).optional(),
  comment: yamlBoolean.optional(),
  'fail-on-regression': yamlBoolean.default('false'),
  'github-token': z.string().optional(),
});

/**
 * Reads and checks every input in one place and returns them as a union tagged by mode.
 * `read` is `core.getInput`; an empty string counts as not given (the runner passes `''` for
 * inputs the workflow leaves out). Every error names the input and the value.
 */
export function parseInputs(read: (name: InputName) => string): ActionInputs {
  const raw: Partial<Record<InputName, string>> = {};
  for (const name of INPUT_NAMES) raw[name] = getOptionalInput(read, name);

  const mode = raw.mode ?? 'evaluate';
  if (!(MODES as readonly string[]).includes(mode)) throw new InputError('mode', mode, `must be one of ${MODES.join(', ')}`);
  for (const required of ['experiment', 'config'] as const) {
    if (raw[required] === undefined) throw new InputError(required, undefined, `is required in ${mode} mode`);
  }

  const parsed = rawInputsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const input = String(issue.path[0]) as InputName;
    throw new InputError(input, raw[input], issue.message);
  }
  const values = parsed.data;
  const common: CommonInputs = {
    experiment: values.experiment,
    config: values.config,
    name: values.name,
    dataPath: values['data-path'],
    dataBranch: values['data-branch'],
    baseline: values.baseline,
    comment: values.comment === undefined ? undefined : values.comment.toLowerCase() === 'true',
    failOnRegression: values['fail-on-regression'].toLowerCase() === 'true',
    token: values['github-token'],
  };

  if (mode === 'merge') {
    for (const input of ['command', 'traces', 'shard', 'dataset'] as const) {
      if (raw[input] !== undefined) throw new InputError(input, raw[input], 'is not used in merge mode (the merge job finds every shard run itself)');
    }
    return { mode: 'merge', ...common };
  }

  if (values.command !== undefined && values.traces !== undefined) {
    throw new InputError('traces', raw.traces, 'give either "command" (run it) or "traces" (ingest a file), not both');
  }
  const work: EvaluationWork | undefined =
    values.command !== undefined ? { kind: 'command', command: values.command } : values.traces !== undefined ? { kind: 'traces', file: values.traces } : undefined;
  if (!work) throw new InputError('command', undefined, 'evaluate mode needs "command" (the evaluation to run) or "traces" (a JSONL file of traces to ingest)');
  return { mode: 'evaluate', ...common, work, dataset: values.dataset, shard: values.shard };
}

/** An input's value, or undefined when it is empty: the runner passes `''` for inputs not given. */
export function getOptionalInput(read: (name: InputName) => string, name: InputName): string | undefined {
  const value = read(name);
  return value.trim() === '' ? undefined : name === 'command' ? value : value.trim();
}
