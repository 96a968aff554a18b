import { isAbsolute } from 'node:path';
import { z } from 'zod';
import type { Shard } from '../../schemas/run-manifest.ts';
import { nameSchema } from '../../schemas/names.ts';
import { DEFAULT_ALLOWED_EVENTS, DEFAULT_WORKFLOW_PATH, parseBranchList } from '../../src/deploy/deploy-policy.ts';
import { parseShard } from '../../src/sdk/shard.ts';
import { InputError } from './input-error.ts';
import { errorMessage } from '../../src/errors/error-message.ts';
import { branchNameProblem } from '../../src/git/branch-name.ts';

/** Every input of action.yml, by its name there. */
export const INPUT_NAMES = [
  'mode',
  'experiment',
  'config',
  'command',
  'traces',
  'traces-format',
  'dataset',
  'name',
  'data-path',
  'data-branch',
  'shard',
  'trials',
  'otlp',
  'baseline',
  'comment',
  'fail-on-regression',
  'gate',
  'github-token',
  'run',
  'environment',
  'deploy-command',
  'workflow',
  'allowed-events',
  'allowed-branches',
  'require-attestation',
  'apply',
  'report-html',
] as const;
export type InputName = (typeof INPUT_NAMES)[number];

/** The modes this version knows. A new mode adds a member here and to the union below. */
const MODES = ['evaluate', 'merge', 'deploy', 'gc'] as const;

/** Inputs only deploy mode reads; evaluate and merge refuse them rather than ignore them. */
const DEPLOY_ONLY = [
  'run',
  'environment',
  'deploy-command',
  'workflow',
  'allowed-events',
  'allowed-branches',
  'require-attestation',
] as const;
/** Inputs deploy mode has no use for (those without a default in action.yml, so "given" means given). */
const NOT_FOR_DEPLOY = [
  'config',
  'command',
  'traces',
  'traces-format',
  'dataset',
  'name',
  'shard',
  'trials',
  'baseline',
  'comment',
  'gate',
  'report-html',
] as const;

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
  /**
   * `regression`: fail-on-regression decides alone. `non-inferiority`: also fail the step when
   * a metric with a margin is not shown to be no worse than the baseline by more than δ.
   */
  gate: Gate;
  token?: string;
  /**
   * Where to write the comparison with the baseline as one self-contained HTML file (relative to
   * the workspace), for the workflow to upload; nothing is written when no baseline is found.
   */
  reportHtml?: string;
}

const GATES = ['regression', 'non-inferiority'] as const;
type Gate = (typeof GATES)[number];

/** What an evaluation gets its traces from. */
type EvaluationWork = { kind: 'command'; command: string } | { kind: 'traces'; file: string; format: TracesFormat };

/** `labbook`: our JSONL (schemas/json/trace.schema.json); `otlp`, `mlflow`: converted by the importers. */
const TRACES_FORMATS = ['labbook', 'otlp', 'mlflow'] as const;
type TracesFormat = (typeof TRACES_FORMATS)[number];

export interface EvaluateInputs extends CommonInputs {
  mode: 'evaluate';
  work: EvaluationWork;
  dataset?: string;
  shard?: Shard;
  /** K evaluations per example, handed to the command as LABBOOK_TRIALS. */
  trials?: number;
  /** Run an OTLP receiver (HTTP and gRPC) for the command (input `otlp`, default true). */
  otlp: boolean;
}

export interface MergeInputs extends CommonInputs {
  mode: 'merge';
}

/** Deploy mode: check a run's eligibility, and deploy it only when every check passes. */
export interface DeployInputs {
  mode: 'deploy';
  /** A run id, or a unique part of one (at least 6 characters). */
  run: string;
  environment: string;
  /** Narrows the search for the run to one experiment. */
  experiment?: string;
  deployCommand?: string;
  /** The evaluation workflow's path in the repository. */
  workflow: string;
  allowedEvents: string[];
  /** Branch names or `*` patterns; null: any branch; undefined: the default branch and its merge queue. */
  allowedBranches: string[] | null | undefined;
  requireAttestation: boolean;
  dataPath: string;
  /** Undefined: the branch the workflow runs on. */
  dataBranch?: string;
  token: string;
}

/** Gc mode: apply the retention policy to the data branch (a dry run unless `apply`). */
export interface GcInputs {
  mode: 'gc';
  apply: boolean;
  dataPath: string;
  /** Undefined: the branch the workflow runs on. */
  dataBranch?: string;
  /** Asks GitHub which pull requests are closed; without it no pull request's runs are removed. */
  token?: string;
}

/** What gc mode reads; every other input is refused there rather than ignored (fail-on-regression: its default is always passed). */
const GC_INPUTS = ['mode', 'data-path', 'data-branch', 'github-token', 'apply', 'fail-on-regression'] as const;
/**
 * Inputs with a default in action.yml that gc mode does not read: GitHub's runner passes the
 * default whether or not the workflow names them, so only another value counts as given.
 */
const GC_IGNORED_DEFAULTS: Partial<Record<InputName, string>> = { otlp: 'true' };

type ActionInputs = EvaluateInputs | MergeInputs | DeployInputs | GcInputs;

const yamlBoolean = z.enum(['true', 'True', 'TRUE', 'false', 'False', 'FALSE'], {
  error: 'expected true or false',
});
const relativePath = z
  .string()
  .refine((p) => !isAbsolute(p) && !p.split(/[\\/]/).includes('..'), 'must be a path inside the workspace (relative, without "..")');
const branchName = z.string().superRefine((branch, ctx) => {
  const problem = branchNameProblem(branch);
  if (problem) ctx.addIssue({ code: 'custom', message: `is not a branch name: ${problem}` });
});
const shardSpec = z.string().transform((text, ctx) => {
  try {
    return parseShard(text);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: errorMessage(error).replace(/^invalid shard "[^"]*": /, '') });
    return z.NEVER;
  }
});

const workflowPath = z
  .string()
  .regex(/^\.github\/workflows\/[^/]+\.ya?ml$/, 'must be a workflow file path like .github/workflows/evaluate.yml');
const eventList = z.string().transform((text, ctx) => {
  const events = text.split(/[\s,]+/).filter(Boolean);
  const bad = events.find((e) => !/^[a-z_]+$/.test(e));
  if (bad !== undefined || events.length === 0) {
    ctx.addIssue({
      code: 'custom',
      message: `${bad === undefined ? 'names no event' : `"${bad}" is not an event name`}: give event names separated by commas, like push, workflow_dispatch`,
    });
    return z.NEVER;
  }
  return [...new Set(events)];
});
const branchList = z.string().transform((text, ctx) => {
  const bad = text.split(/[\s,]+/).find((b) => b !== '' && !/^[A-Za-z0-9._/*-]+$/.test(b));
  if (bad !== undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `"${bad}" is not a branch name or pattern: give branches separated by commas, like main, release/*`,
    });
    return z.NEVER;
  }
  return parseBranchList(text);
});

/** The schema of the raw inputs, keyed by their names in action.yml. */
const rawInputsSchema = z.object({
  mode: z.string().default('evaluate'),
  experiment: nameSchema.optional(),
  config: relativePath.optional(),
  command: z.string().optional(),
  traces: relativePath.optional(),
  'traces-format': z.enum(TRACES_FORMATS).optional(),
  dataset: relativePath.optional(),
  name: z.string().max(200).optional(),
  'data-path': relativePath.default('experiments'),
  'data-branch': branchName.optional(),
  shard: shardSpec.optional(),
  baseline: z.string().max(200).optional(),
  comment: yamlBoolean.optional(),
  'fail-on-regression': yamlBoolean.default('false'),
  gate: z.enum(GATES).optional(),
  trials: z
    .string()
    .regex(/^[1-9]\d{0,3}$|^10000$/, 'expected a whole number from 1 to 10000')
    .optional(),
  otlp: yamlBoolean.default('true'),
  'github-token': z.string().optional(),
  run: nameSchema.optional(),
  environment: nameSchema.optional(),
  'deploy-command': z.string().optional(),
  workflow: workflowPath.optional(),
  'allowed-events': eventList.optional(),
  'allowed-branches': branchList.optional(),
  'require-attestation': yamlBoolean.optional(),
  apply: yamlBoolean.optional(),
  'report-html': relativePath.refine((p) => /\.html?$/i.test(p), 'must name an .html file').optional(),
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
  if (mode === 'gc') return parseGcInputs(raw);
  if (raw.apply !== undefined) throw new InputError('apply', raw.apply, `is not used in ${mode} mode (only gc mode removes runs)`);
  const required = mode === 'deploy' ? (['run', 'environment', 'github-token'] as const) : (['experiment', 'config'] as const);
  for (const name of required) {
    if (raw[name] === undefined) throw new InputError(name, undefined, `is required in ${mode} mode`);
  }
  const unused = mode === 'deploy' ? NOT_FOR_DEPLOY : DEPLOY_ONLY;
  for (const name of unused) {
    if (raw[name] !== undefined) throw new InputError(name, raw[name], `is not used in ${mode} mode`);
  }

  const parsed = rawInputsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const input = String(issue.path[0]) as InputName;
    throw new InputError(input, raw[input], issue.message);
  }
  const values = parsed.data;
  if (mode === 'deploy') {
    return {
      mode: 'deploy',
      run: values.run!,
      environment: values.environment!,
      experiment: values.experiment,
      deployCommand: values['deploy-command'],
      workflow: values.workflow ?? DEFAULT_WORKFLOW_PATH,
      allowedEvents: values['allowed-events'] ?? DEFAULT_ALLOWED_EVENTS,
      allowedBranches: values['allowed-branches'],
      requireAttestation: values['require-attestation']?.toLowerCase() === 'true',
      dataPath: values['data-path'],
      dataBranch: values['data-branch'],
      token: values['github-token']!,
    };
  }
  const common: CommonInputs = {
    experiment: values.experiment!,
    config: values.config!,
    name: values.name,
    dataPath: values['data-path'],
    dataBranch: values['data-branch'],
    baseline: values.baseline,
    comment: values.comment === undefined ? undefined : values.comment.toLowerCase() === 'true',
    failOnRegression: values['fail-on-regression'].toLowerCase() === 'true',
    gate: values.gate ?? 'regression',
    token: values['github-token'],
    ...(values['report-html'] !== undefined ? { reportHtml: values['report-html'] } : {}),
  };

  if (mode === 'merge') {
    for (const input of ['command', 'traces', 'traces-format', 'shard', 'dataset', 'trials'] as const) {
      if (raw[input] !== undefined)
        throw new InputError(input, raw[input], 'is not used in merge mode (the merge job finds every shard run itself)');
    }
    return { mode: 'merge', ...common };
  }

  if (values.command !== undefined && values.traces !== undefined) {
    throw new InputError('traces', raw.traces, 'give either "command" (run it) or "traces" (ingest a file), not both');
  }
  if (values['traces-format'] !== undefined && values.traces === undefined) {
    throw new InputError('traces-format', raw['traces-format'], 'says the format of "traces", which is not given');
  }
  const work: EvaluationWork | undefined =
    values.command !== undefined
      ? { kind: 'command', command: values.command }
      : values.traces !== undefined
        ? { kind: 'traces', file: values.traces, format: values['traces-format'] ?? 'labbook' }
        : undefined;
  if (!work)
    throw new InputError(
      'command',
      undefined,
      'evaluate mode needs "command" (the evaluation to run) or "traces" (a JSONL file of traces to ingest)',
    );
  if (values.trials !== undefined && work.kind === 'traces') {
    throw new InputError(
      'trials',
      raw.trials,
      'applies to "command" (the SDK repeats each example); a "traces" file already holds its trials',
    );
  }
  return {
    mode: 'evaluate',
    ...common,
    work,
    dataset: values.dataset,
    shard: values.shard,
    otlp: values.otlp.toLowerCase() === 'true',
    ...(values.trials ? { trials: Number(values.trials) } : {}),
  };
}

function parseGcInputs(raw: Partial<Record<InputName, string>>): GcInputs {
  for (const name of INPUT_NAMES) {
    if (raw[name] === undefined || (GC_INPUTS as readonly string[]).includes(name) || raw[name] === GC_IGNORED_DEFAULTS[name]) continue;
    throw new InputError(name, raw[name], 'is not used in gc mode');
  }
  const parsed = rawInputsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const input = String(issue.path[0]) as InputName;
    throw new InputError(input, raw[input], issue.message);
  }
  const values = parsed.data;
  return {
    mode: 'gc',
    apply: values.apply?.toLowerCase() === 'true',
    dataPath: values['data-path'],
    dataBranch: values['data-branch'],
    token: values['github-token'],
  };
}

/** An input's value, or undefined when it is empty: the runner passes `''` for inputs not given. */
function getOptionalInput(read: (name: InputName) => string, name: InputName): string | undefined {
  const value = read(name);
  return value.trim() === '' ? undefined : name === 'command' || name === 'deploy-command' ? value : value.trim();
}
