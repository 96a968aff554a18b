import { plainTracesSync } from '../helpers/run-traces.ts';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir.ts';
import { extractSamples, type Sample } from './extract-samples.ts';
import { REPO, scriptCommand } from './labbook-package.ts';
import { createSampleProject, type SampleProject } from './sample-project.ts';

/**
 * Every code block of README.md and docs/*.md either runs here or says why it cannot
 * (see extract-samples.ts for the markers). Runnable ones run in order, in one user project
 * (sample-project.ts): TypeScript and Python samples that record traces under `labbook run`,
 * other TypeScript as a script, shell samples with bash -e against the seeded runs.
 */
const DOCS = [
  'README.md',
  ...readdirSync(join(REPO, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
];
const samples: Sample[] = DOCS.flatMap((file) => extractSamples(readFileSync(join(REPO, file), 'utf8'), file));
const runnable = samples.filter((s) => s.marker?.kind === 'run');

const root = tempDir('labbook-doc-samples-');
let project: SampleProject;
/** Each sample file written: where its code comes from, and how many lines of given precede it. */
const written = new Map<string, { sample: Sample; givenFile: string | null; givenLines: number }>();

beforeAll(() => {
  mkdirSync(join(root, 'project'));
  project = createSampleProject(join(root, 'project'));
}, 120_000);

describe('the documentation’s code samples', () => {
  it('are each marked as runnable or not, with a reason', () => {
    const unmarked = samples.filter((s) => s.marker === null).map((s) => s.where);
    expect(unmarked, 'mark each block with <!-- sample: run --> or <!-- sample: not runnable: <reason> -->').toEqual([]);
    expect(runnable.length).toBeGreaterThanOrEqual(8);
  });

  it.each(runnable.map((s) => [s.where, s] as const))('%s runs', (_where, sample) => {
    const result = runSample(sample, project, samples.indexOf(sample));
    expect(result.code, `${sample.where} failed:\n${result.output}`).toBe(0);
    const recorded = /run (\S+) (completed|failed|partial)/.exec(result.output);
    if (recorded) {
      expect(recorded[2], result.output).toBe('completed');
      const traces = plainTracesSync(join(project.dir, 'experiments', 'demo', 'runs', recorded[1]!))
        .trim()
        .split('\n');
      const examples = traces.map((line) => (JSON.parse(line) as { exampleId: string }).exampleId);
      expect(traces.length).toBeGreaterThan(0);
      expect(new Set(examples).size, 'an example was traced more than once').toBe(examples.length);
    }
  });

  it('type-check, TypeScript ones', () => {
    const result = typeCheckSamples(project);
    expect(result.code, result.output).toBe(0);
  });
});

/**
 * Type-checks the users' TypeScript samples the runs above wrote (with their givens), with this
 * repository's compiler options: a sample that runs but no longer matches the API's types
 * (a renamed option, a wrong argument) fails here.
 */
function typeCheckSamples({ dir }: SampleProject): { code: number | null; output: string } {
  const files = readdirSync(dir).filter((f) => /^sample-\d+\.ts$/.test(f));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      extends: join(REPO, 'tsconfig.json'),
      compilerOptions: { typeRoots: [join(REPO, 'node_modules', '@types')], noUnusedLocals: false },
      include: files,
    }),
  );
  const result = spawnSync(process.execPath, [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return {
    code: result.status,
    output: `${result.stdout}${result.stderr}`.replace(
      /(sample-\d+\.ts)\((\d+),(\d+)\)/g,
      (text, file: string, line: string) => docLocation(file, Number(line)) ?? text,
    ),
  };
}

/** `README.md:140` for line `line` of a sample file (or the given's file and line). */
function docLocation(file: string, line: number): string | null {
  const origin = written.get(file);
  if (!origin) return null;
  if (line <= origin.givenLines) return `${origin.givenFile}:${line}`;
  const [doc, fence] = origin.sample.where.split(':');
  return `${doc}:${Number(fence) + line - origin.givenLines}`;
}

const RUN_TRACES = [
  'labbook',
  'run',
  '--experiment',
  'demo',
  '--config',
  'examples/configs/baseline.yaml',
  '--dataset',
  'examples/data/dataset.jsonl',
  '--',
];

function runSample(sample: Sample, { dir, env }: SampleProject, index: number): { code: number | null; output: string } {
  const marker = sample.marker as { kind: 'run'; given: string | null };
  const ext = { ts: 'ts', typescript: 'ts', js: 'mjs', javascript: 'mjs', sh: 'sh', bash: 'sh', shell: 'sh', python: 'py', py: 'py' }[
    sample.lang
  ];
  if (!ext) throw new Error(`${sample.where}: no runner for "${sample.lang || 'untagged'}" blocks; tag it or mark it not runnable`);
  const givenFile = marker.given ? join(import.meta.dirname, 'givens', `${marker.given}.${ext === 'mjs' ? 'ts' : ext}`) : null;
  if (givenFile && !existsSync(givenFile)) throw new Error(`${sample.where}: no given "${marker.given}" (${givenFile})`);
  const given = givenFile ? `${readFileSync(givenFile, 'utf8')}\n` : '';
  const file = `sample-${index}.${ext}`;
  writeFileSync(join(dir, file), given + sample.code);
  written.set(file, {
    sample,
    givenFile: givenFile && relative(REPO, givenFile),
    givenLines: given === '' ? 0 : given.split('\n').length - 1,
  });

  let argv: string[];
  if (ext === 'sh') argv = ['bash', '-e', '-o', 'pipefail', file];
  else if (ext === 'py') argv = [...RUN_TRACES, 'python3', file];
  else argv = sample.code.includes("'labbook/sdk'") ? [...RUN_TRACES, ...scriptCommand(file)] : scriptCommand(file);
  const result = spawnSync(argv[0]!, argv.slice(1), { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, output: `${result.stdout}${result.stderr}${result.error ? String(result.error) : ''}` };
}
