import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import type { FunctionDefinition } from '@actions/expressions/funcs/info';
import { truthy } from '@actions/expressions/result';
import yaml from 'js-yaml';
import { eventPayload, git, parseOutputFile as parseDelimitedOutputs, type EventKind } from '../action/harness.ts';

/**
 * Runs a workflow's jobs on this machine the way a GitHub runner would, so a test can take a
 * workflow file a user copies and execute it step by step: `run:` steps in bash with the job's
 * GITHUB_* variables, GITHUB_OUTPUT and GITHUB_PATH, `${{ }}` expressions evaluated by GitHub's own expression
 * library (@actions/expressions), `if:` conditions with the status functions, matrix, needs and
 * step outputs. `uses:` steps are handled by name: the few well-known actions a Labbook workflow
 * uses are emulated on disk (checkout clones the bare remote), and Labbook's action runs from its
 * bundle with INPUT_* variables. An action this runner does not know fails the step, so a new
 * step in a workflow can never be skipped silently.
 */

export interface Step {
  id?: string;
  name?: string;
  if?: string | boolean;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  'working-directory'?: string;
  'continue-on-error'?: boolean;
}

export interface Job {
  if?: string | boolean;
  needs?: string | string[];
  permissions?: Record<string, string> | string;
  strategy?: { matrix?: Record<string, unknown>; 'fail-fast'?: boolean };
  outputs?: Record<string, string>;
  env?: Record<string, unknown>;
  environment?: unknown;
  steps?: Step[];
  uses?: string;
}

export interface Workflow {
  name?: string;
  on?: unknown;
  env?: Record<string, unknown>;
  permissions?: unknown;
  jobs: Record<string, Job>;
}

export interface JobResult {
  result: 'success' | 'failure' | 'skipped';
  outputs: Record<string, string>;
  /** Each step as it ran: its id or name, outcome, and what it printed. */
  steps: Array<{ label: string; outcome: 'success' | 'failure' | 'skipped'; log: string }>;
  summary: string;
}

/** What a `uses:` step gets: its evaluated inputs and the job's environment. */
export interface ActionCall {
  uses: string;
  with: Record<string, string>;
  env: Record<string, string>;
  workspace: string;
  /** Files of the step, as the runner gives them (GITHUB_OUTPUT, the summary). */
  outputFile: string;
  summaryFile: string;
}

export type ActionHandler = (call: ActionCall) => Promise<{ code: number; log: string }>;

export interface RunnerMachine {
  /** The bare repository that stands in for GitHub's copy of the repository. */
  remote: string;
  /** A folder for this runner's workspaces, artifacts and files. */
  root: string;
  repository: string;
  sha: string;
  event: EventKind;
  workflowFile: string;
  runId: string;
  runAttempt?: string;
  apiUrl: string;
  /** Workflow-dispatch inputs. */
  inputs?: Record<string, string>;
  /** Handlers for `uses:` steps, keyed by the action's name without its ref (`actions/checkout`). */
  actions: Record<string, ActionHandler>;
  /** Extra variables every step sees (a test's PATH with a packed `labbook`, say). */
  env?: Record<string, string>;
  /** The branch a push ran on and pull requests target (default `main`). */
  branch?: string;
}

export function loadWorkflow(file: string): Workflow {
  return yaml.load(readFileSync(file, 'utf8')) as Workflow;
}

const STATUS_FUNCTIONS = ['success', 'failure', 'cancelled', 'always'] as const;

function toData(value: unknown): data.ExpressionData {
  return JSON.parse(JSON.stringify(value ?? null), data.reviver) as data.ExpressionData;
}

/** Evaluates one expression (without `${{ }}`) against the contexts, with the job's status. */
export function evaluateExpression(expression: string, contexts: Record<string, unknown>, jobFailed = false): data.ExpressionData {
  const lexed = new Lexer(expression).lex();
  const fn = (name: string, minArgs: number, maxArgs: number, call: FunctionDefinition['call']): FunctionDefinition => ({
    name,
    minArgs,
    maxArgs,
    call,
  });
  const functions = new Map<string, FunctionDefinition>([
    ['success', fn('success', 0, 0, () => new data.BooleanData(!jobFailed))],
    ['failure', fn('failure', 0, 0, () => new data.BooleanData(jobFailed))],
    ['cancelled', fn('cancelled', 0, 0, () => new data.BooleanData(false))],
    ['always', fn('always', 0, 0, () => new data.BooleanData(true))],
  ]);
  const parser = new Parser(lexed.tokens, Object.keys(contexts), [...functions.values()]);
  const context = new data.Dictionary(...Object.entries(contexts).map(([key, value]) => ({ key, value: toData(value) })));
  return new Evaluator(parser.parse(), context, functions).evaluate();
}

const TEMPLATE = /\$\{\{([\s\S]*?)\}\}/g;

/** Replaces every `${{ }}` in a string with its value as text, the way the runner does. */
export function interpolate(text: string, contexts: Record<string, unknown>, jobFailed = false): string {
  return text.replace(TEMPLATE, (_, expression: string) => evaluateExpression(expression.trim(), contexts, jobFailed).coerceString());
}

/** An `if:` condition; GitHub adds `success() &&` unless a status function is named. */
export function condition(value: string | boolean | undefined, contexts: Record<string, unknown>, jobFailed: boolean): boolean {
  if (value === undefined) return !jobFailed;
  if (typeof value === 'boolean') return value && !jobFailed;
  const bare = value
    .trim()
    .replace(/^\$\{\{([\s\S]*)\}\}$/, '$1')
    .trim();
  const withStatus = STATUS_FUNCTIONS.some((name) => new RegExp(`\\b${name}\\(`).test(bare)) ? bare : `success() && (${bare})`;
  return truthy(evaluateExpression(withStatus, contexts, jobFailed));
}

/** The matrix's combinations (no include/exclude: a Labbook workflow does not use them). */
export function matrixCombinations(
  matrix: Record<string, unknown> | undefined,
  contexts: Record<string, unknown>,
): Array<Record<string, unknown>> {
  if (!matrix) return [{}];
  let combinations: Array<Record<string, unknown>> = [{}];
  for (const [key, raw] of Object.entries(matrix)) {
    if (key === 'include' || key === 'exclude') throw new Error(`workflow runner: matrix ${key} is not supported`);
    const list =
      typeof raw === 'string'
        ? JSON.parse(
            JSON.stringify(
              evaluateExpression(
                raw
                  .trim()
                  .replace(/^\$\{\{([\s\S]*)\}\}$/, '$1')
                  .trim(),
                contexts,
              ),
              data.replacer,
            ),
          )
        : raw;
    if (!Array.isArray(list)) throw new Error(`workflow runner: matrix ${key} is not a list`);
    combinations = combinations.flatMap((combination) => list.map((value) => ({ ...combination, [key]: value })));
  }
  return combinations;
}

function runBash(script: string, cwd: string, env: Record<string, string>): Promise<{ code: number; log: string }> {
  return new Promise((resolveRun) => {
    execFile(
      'bash',
      ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script],
      { cwd, env, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolveRun({ code: error ? ((error as { code?: number }).code ?? 1) : 0, log: `${stdout}${stderr}` });
      },
    );
  });
}

let stepSequence = 0;

/**
 * Runs one job (one matrix combination) of a workflow in a fresh workspace and returns its
 * result and outputs. `needs` holds the results of the jobs it needs.
 */
export async function runJob(
  workflow: Workflow,
  jobName: string,
  machine: RunnerMachine,
  options: { matrix?: Record<string, unknown>; needs?: Record<string, { result: string; outputs: Record<string, string> }> } = {},
): Promise<JobResult> {
  const job = workflow.jobs[jobName];
  if (!job) throw new Error(`workflow runner: no job "${jobName}" in ${machine.workflowFile}`);
  if (job.uses) throw new Error(`workflow runner: job ${jobName} calls a reusable workflow, which this runner does not run`);
  const label = `${jobName}-${++stepSequence}`;
  const jobRoot = join(machine.root, 'jobs', label);
  const workspace = join(jobRoot, 'workspace');
  const temp = join(jobRoot, 'tmp');
  mkdirSync(workspace, { recursive: true });
  mkdirSync(temp, { recursive: true });
  const payload = eventPayload(machine.event);
  const eventPath = join(jobRoot, 'event.json');
  writeFileSync(eventPath, JSON.stringify(payload));
  const isPr = machine.event.startsWith('pull_request');
  const pr = payload.pull_request as { number: number; head: { ref: string } } | undefined;
  const branch = machine.branch ?? 'main';
  const ref = isPr ? `refs/pull/${pr!.number}/merge` : `refs/heads/${branch}`;
  const github = {
    repository: machine.repository,
    repository_owner: machine.repository.split('/')[0],
    server_url: 'https://github.com',
    api_url: machine.apiUrl,
    event_name: isPr ? 'pull_request' : machine.event,
    event: payload,
    sha: machine.sha,
    ref,
    ref_name: isPr ? `${pr!.number}/merge` : branch,
    head_ref: isPr ? pr!.head.ref : '',
    base_ref: isPr ? branch : '',
    run_id: machine.runId,
    run_attempt: machine.runAttempt ?? '1',
    job: jobName,
    workflow: workflow.name ?? jobName,
    workflow_ref: `${machine.repository}/${machine.workflowFile}@${ref}`,
    actor: 'Codertocat',
    workspace,
    action_path: '',
    token: 'ghs_test-token',
  };
  const baseEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? jobRoot,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_REPOSITORY: github.repository,
    GITHUB_REPOSITORY_OWNER: github.repository_owner!,
    GITHUB_SERVER_URL: github.server_url,
    GITHUB_API_URL: github.api_url,
    GITHUB_WORKFLOW: github.workflow,
    GITHUB_WORKFLOW_REF: github.workflow_ref,
    GITHUB_RUN_ID: github.run_id,
    GITHUB_RUN_ATTEMPT: github.run_attempt,
    GITHUB_JOB: jobName,
    GITHUB_SHA: github.sha,
    GITHUB_REF: github.ref,
    GITHUB_REF_NAME: github.ref_name,
    GITHUB_HEAD_REF: github.head_ref,
    GITHUB_BASE_REF: github.base_ref,
    GITHUB_ACTOR: github.actor,
    GITHUB_EVENT_NAME: github.event_name,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: temp,
    RUNNER_OS: 'Linux',
    ...machine.env,
  };
  const steps: Record<string, { outputs: Record<string, string>; outcome: string; conclusion: string }> = {};
  const contexts = () => ({
    github,
    env: envContext,
    matrix: options.matrix ?? {},
    needs: options.needs ?? {},
    steps,
    inputs: machine.inputs ?? {},
    runner: { os: 'Linux', temp },
    secrets: { GITHUB_TOKEN: github.token },
    vars: {},
    job: { status: failed ? 'failure' : 'success' },
    strategy: {},
  });
  let failed = false;
  const addedPath: string[] = [];
  const envContext: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...workflow.env, ...job.env })) envContext[key] = interpolate(String(value), contexts());

  const result: JobResult = { result: 'success', outputs: {}, steps: [], summary: '' };
  if (!condition(job.if, contexts(), false)) return { ...result, result: 'skipped' };

  for (const [index, step] of (job.steps ?? []).entries()) {
    const stepLabel = step.id ?? step.name ?? step.uses ?? `step ${index + 1}`;
    if (!condition(step.if, contexts(), failed)) {
      result.steps.push({ label: stepLabel, outcome: 'skipped', log: '' });
      if (step.id) steps[step.id] = { outputs: {}, outcome: 'skipped', conclusion: 'skipped' };
      continue;
    }
    const stepDir = join(jobRoot, `step-${index}`);
    mkdirSync(stepDir, { recursive: true });
    const outputFile = join(stepDir, 'output');
    const summaryFile = join(stepDir, 'summary.md');
    const pathFile = join(stepDir, 'path');
    writeFileSync(outputFile, '');
    writeFileSync(summaryFile, '');
    writeFileSync(pathFile, '');
    const PATH = [...addedPath, baseEnv.PATH].join(':');
    const stepEnv: Record<string, string> = {
      ...baseEnv,
      ...envContext,
      PATH,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      GITHUB_PATH: pathFile,
    };
    for (const [key, value] of Object.entries(step.env ?? {})) stepEnv[key] = interpolate(String(value), contexts(), failed);
    let outcome: { code: number; log: string };
    if (step.run !== undefined) {
      const cwd = step['working-directory'] ? resolve(workspace, interpolate(step['working-directory'], contexts(), failed)) : workspace;
      outcome = await runBash(interpolate(step.run, contexts(), failed), cwd, stepEnv);
    } else if (step.uses) {
      const name = step.uses.replace(/@.*$/, '');
      const handler = machine.actions[name];
      if (!handler)
        throw new Error(`workflow runner: ${machine.workflowFile} job ${jobName} uses ${step.uses}, which this runner does not emulate`);
      const inputs = Object.fromEntries(
        Object.entries(step.with ?? {}).map(([key, value]) => [key, interpolate(String(value), contexts(), failed)]),
      );
      outcome = await handler({ uses: step.uses, with: inputs, env: stepEnv, workspace, outputFile, summaryFile });
    } else {
      throw new Error(`workflow runner: step ${stepLabel} of ${jobName} has neither run nor uses`);
    }
    const ok = outcome.code === 0 || step['continue-on-error'] === true;
    const outputs = parseOutputFile(readFileSync(outputFile, 'utf8'));
    if (step.id) steps[step.id] = { outputs, outcome: outcome.code === 0 ? 'success' : 'failure', conclusion: ok ? 'success' : 'failure' };
    result.steps.push({ label: stepLabel, outcome: outcome.code === 0 ? 'success' : 'failure', log: outcome.log });
    result.summary += readFileSync(summaryFile, 'utf8');
    // GITHUB_PATH: each line a folder put first on PATH for the job's later steps, newest first.
    for (const line of readFileSync(pathFile, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== ''))
      addedPath.unshift(line.trim());
    if (!ok) failed = true;
  }
  result.result = failed ? 'failure' : 'success';
  for (const [key, value] of Object.entries(job.outputs ?? {})) result.outputs[key] = interpolate(value, contexts(), failed);
  return result;
}

/** GITHUB_OUTPUT in both forms the runner accepts: `name=value` lines and `name<<delimiter` blocks. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs = parseDelimitedOutputs(text);
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const block = /^([^<=]+)<<(.+)$/.exec(lines[i]!);
    if (block) {
      while (i < lines.length && lines[i] !== block[2]) i++;
      continue;
    }
    const pair = /^([^=]+)=(.*)$/.exec(lines[i]!);
    if (pair) outputs[pair[1]!] = pair[2]!;
  }
  return outputs;
}

/** The jobs a job needs, as a list. */
export function jobNeeds(job: Job): string[] {
  return job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
}

/**
 * Runs every job of a workflow in dependency order, each matrix combination in turn (a matrix
 * job fails when any combination fails; its outputs are the last combination's, as GitHub's are
 * for a matrix job). Returns each job's combined result and each combination's.
 */
export async function runWorkflow(
  workflow: Workflow,
  machine: RunnerMachine,
): Promise<Record<string, { result: string; outputs: Record<string, string>; runs: JobResult[] }>> {
  const done: Record<string, { result: string; outputs: Record<string, string>; runs: JobResult[] }> = {};
  const pending = new Set(Object.keys(workflow.jobs));
  while (pending.size > 0) {
    const ready = [...pending].filter((name) => jobNeeds(workflow.jobs[name]!).every((need) => done[need]));
    if (ready.length === 0) throw new Error(`workflow runner: jobs ${[...pending].join(', ')} wait on each other`);
    for (const name of ready) {
      pending.delete(name);
      const job = workflow.jobs[name]!;
      const needs = Object.fromEntries(jobNeeds(job).map((need) => [need, { result: done[need]!.result, outputs: done[need]!.outputs }]));
      const upstreamFailed = Object.values(needs).some((need) => need.result !== 'success');
      const contexts = {
        needs,
        github: { event_name: machine.event.startsWith('pull_request') ? 'pull_request' : machine.event },
        inputs: machine.inputs ?? {},
      };
      // A job whose needs did not all succeed runs only when its `if:` names a status function.
      if (upstreamFailed && !(typeof job.if === 'string' && /\b(always|failure|cancelled)\(\)/.test(job.if))) {
        done[name] = { result: 'skipped', outputs: {}, runs: [] };
        continue;
      }
      const runs: JobResult[] = [];
      for (const matrix of matrixCombinations(job.strategy?.matrix, contexts))
        runs.push(await runJob(workflow, name, machine, { matrix, needs }));
      const result = runs.some((run) => run.result === 'failure')
        ? 'failure'
        : runs.every((run) => run.result === 'skipped')
          ? 'skipped'
          : 'success';
      done[name] = { result, outputs: runs.at(-1)?.outputs ?? {}, runs };
    }
  }
  return done;
}

/** `actions/checkout`: a clone of the remote at the event's commit (or `ref`), into `path`. */
export function checkoutAction(remote: string): ActionHandler {
  return async (call) => {
    const target = resolve(call.workspace, call.with.path ?? '.');
    mkdirSync(target, { recursive: true });
    git(target, 'init', '-q');
    git(target, 'remote', 'add', 'origin', remote);
    const ref = call.with.ref || call.env.GITHUB_SHA!;
    try {
      git(target, 'fetch', '-q', '--depth=1', 'origin', ref);
    } catch (error) {
      return { code: 1, log: `checkout: cannot fetch ${ref}: ${String(error)}` };
    }
    git(target, 'checkout', '-q', 'FETCH_HEAD');
    return { code: 0, log: `checked out ${ref} into ${target}` };
  };
}

/** Actions that only prepare the machine, already prepared here (Node is installed). */
export const noopAction: ActionHandler = async (call) => ({ code: 0, log: `${call.uses}: nothing to do on this machine` });

/** `actions/upload-artifact` / `download-artifact` over one folder of the runner machine. */
export function artifactActions(store: string): { upload: ActionHandler; download: ActionHandler } {
  return {
    upload: async (call) => {
      const source = resolve(call.workspace, call.with.path ?? '');
      if (!existsSync(source))
        return { code: call.with['if-no-files-found'] === 'ignore' ? 0 : 1, log: `upload-artifact: no files at ${source}` };
      cpSync(source, join(store, call.with.name ?? 'artifact'), { recursive: true });
      return { code: 0, log: `uploaded ${call.with.name}` };
    },
    download: async (call) => {
      const source = join(store, call.with.name ?? 'artifact');
      if (!existsSync(source)) return { code: 1, log: `download-artifact: no artifact ${call.with.name}` };
      cpSync(source, resolve(call.workspace, call.with.path ?? '.'), { recursive: true });
      return { code: 0, log: `downloaded ${call.with.name}` };
    },
  };
}

/** Labbook's action from its bundle, run with INPUT_* variables the way the runner runs it. */
export function bundledAction(bundle: string, node = process.execPath): ActionHandler {
  return (call) => {
    const env: Record<string, string> = { ...call.env, ACTIONS_RUNTIME_TOKEN: 'runtime-token-for-tests' };
    for (const [name, value] of Object.entries(call.with)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
    return new Promise((resolveRun) => {
      execFile(node, [bundle], { cwd: call.workspace, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
        resolveRun({ code: error ? ((error as { code?: number }).code ?? 1) : 0, log: `${stdout}${stderr}` });
      });
    });
  };
}

/**
 * Labbook's action as a workflow uses it: its bundle, with action.yml's input defaults filled in
 * for the inputs a step leaves out, as the runner does before it starts the bundle
 * (`${{ github.token }}` becomes a test token).
 */
export function releasedAction(actionDir: string): ActionHandler {
  const bundle = bundledAction(join(actionDir, 'dist', 'index.js'));
  const inputs = (yaml.load(readFileSync(join(actionDir, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }> })
    .inputs;
  return (call) => {
    const withDefaults = { ...call.with };
    for (const [name, input] of Object.entries(inputs)) {
      if (withDefaults[name] === undefined && input.default !== undefined)
        withDefaults[name] = input.default.replace('${{ github.token }}', 'ghs_test-token');
    }
    return bundle({ ...call, with: withDefaults });
  };
}

/** What an upload-artifact step would have uploaded: the artifact's name, the path, and the files' text. */
export interface RecordedUpload {
  job: string;
  name: string;
  path: string;
  /** Each uploaded file's text by its name, read when the step ran (the workspace goes with the job). */
  files: Record<string, string>;
}

/**
 * `actions/upload-artifact` that uploads nothing and records what it would have, so a test can
 * open the artifact. As the real action, a missing path fails the step under
 * `if-no-files-found: error`; with `archive: false` the artifact is named after the file.
 */
export function recordingUploadArtifact(uploads: RecordedUpload[]): ActionHandler {
  return async (call) => {
    const path = resolve(call.workspace, call.with.path ?? '');
    if (!existsSync(path)) return { code: call.with['if-no-files-found'] === 'error' ? 1 : 0, log: `upload-artifact: no files at ${path}` };
    const files: Record<string, string> = {};
    if (statSync(path).isDirectory()) for (const name of readdirSync(path)) files[name] = readFileSync(join(path, name), 'utf8');
    else files[basename(path)] = readFileSync(path, 'utf8');
    uploads.push({
      job: call.env.GITHUB_JOB ?? '',
      name: call.with.archive === 'false' ? basename(path) : (call.with.name ?? 'artifact'),
      path,
      files,
    });
    return { code: 0, log: `would upload ${path} as ${uploads.at(-1)!.name}` };
  };
}
