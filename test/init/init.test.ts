import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { TOOL_VERSION } from '../../src/store/version.ts';
import { runCli } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { REPO } from '../docs/labbook-package.ts';
import { userRepository } from './init-project.ts';

const root = tempDir('labbook-init-');
const WORKFLOWS = ['evaluate', 'pages', 'annotations', 'annotations-comment', 'deploy', 'report', 'gc'];

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.name === '.git') return [];
    return entry.isDirectory() ? listFiles(dir, path) : [path];
  });
}

type Jobs = Record<
  string,
  { permissions?: unknown; steps?: Array<{ id?: string; uses?: string; run?: string; with?: Record<string, unknown> }> }
>;
const workflowJobs = (file: string): Jobs => (yaml.load(readFileSync(file, 'utf8')) as { jobs: Jobs }).jobs;

describe('labbook init', () => {
  it("is what the run command's help example runs: its experiment, config, dataset and script", async () => {
    const help = (await runCli(['run', '--help'], { cwd: root })).stdout;
    const example = /example, with the files "labbook init --experiment (\S+)" writes:\n {2}labbook (run .*)/.exec(help);
    expect(example, help).not.toBeNull();
    const project = userRepository(root, 'Help Example');
    expect((await runCli(['init', '--experiment', example![1]!], { cwd: project })).code).toBe(0);
    const argv = example![2]!.split(' ');
    const value = (flag: string) => argv[argv.indexOf(flag) + 1]!;
    expect(value('--experiment')).toBe(example![1]);
    for (const file of [value('--config'), value('--dataset'), argv.at(-1)!]) expect(existsSync(join(project, file)), file).toBe(true);
    expect(argv.slice(argv.indexOf('--') + 1)).toEqual(['node', 'eval.mjs']);
  });

  it('writes the config, the experiment, a starter evaluation and the workflows, and says what to do next', async () => {
    const project = userRepository(root, 'Shop Agent');
    const result = await runCli(['init', '--metric', 'correct:higher', '--metric', 'cost_usd:lower'], { cwd: project });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(listFiles(project).sort()).toEqual(
      [
        'labbook.config.yaml',
        'experiments/shop-agent/experiment.yaml',
        'eval.mjs',
        'eval.py',
        'data.jsonl',
        'agent.yaml',
        ...WORKFLOWS.map((w) => `.github/workflows/${w}.yml`),
        '.gitignore', // the repository had none: the built site and node_modules stay out of git
      ].sort(),
    );
    expect(readFileSync(join(project, '.gitignore'), 'utf8')).toMatch(/^_site\/$[\s\S]*^node_modules\/$/m);
    const experiment = yaml.load(readFileSync(join(project, 'experiments/shop-agent/experiment.yaml'), 'utf8'));
    expect(experiment).toMatchObject({
      name: 'shop-agent',
      primaryMetric: 'correct',
      metrics: [
        { name: 'correct', direction: 'higher', kind: 'boolean' },
        { name: 'cost_usd', direction: 'lower', kind: 'number' },
      ],
    });
    expect(yaml.load(readFileSync(join(project, 'labbook.config.yaml'), 'utf8'))).toEqual({
      data: 'experiments',
      dataBranch: 'labbook-data',
    });
    const script = readFileSync(join(project, 'eval.mjs'), 'utf8');
    expect(script).toContain("from 'labbook/sdk'");
    expect(script).toMatch(/run\.map\(examples, /);
    expect(script).not.toMatch(/run\.trace\(/);
    expect(script).toContain('name: "cost_usd"');
    expect(readFileSync(join(project, 'eval.py'), 'utf8')).toContain('{"name": "cost_usd"');
    expect(result.stdout).toContain('next steps:');
    expect(result.stdout).toContain('-- python3 eval.py');
    expect(result.stdout).toContain(`npm init -y && npm install --save-dev labbook@${TOOL_VERSION}`);
    expect(result.stdout).toContain('npx labbook run --experiment shop-agent --config agent.yaml --dataset data.jsonl -- node eval.mjs');
  });

  it("leaves out the install step for what package.json already lists, as after the README's npm install", async () => {
    const installed = userRepository(root, 'installed-first');
    writeFileSync(join(installed, 'package.json'), JSON.stringify({ name: 'bot', devDependencies: { labbook: '^0.1.0' } }));
    const js = await runCli(['init'], { cwd: installed });
    expect(js.code).toBe(0);
    expect(js.stdout).not.toContain('npm install');
    expect(js.stdout).toMatch(/ {2}1\. Run the evaluation/);

    const typescript = userRepository(root, 'installed-first-ts');
    writeFileSync(join(typescript, 'package.json'), JSON.stringify({ name: 'bot', devDependencies: { labbook: '^0.1.0' } }));
    const ts = await runCli(['init', '--lang', 'ts'], { cwd: typescript });
    expect(ts.stdout).toContain(
      '1. Install tsx (eval.ts imports labbook/sdk; the evaluate workflow runs npm ci):\n     npm install --save-dev tsx\n',
    );

    const unlisted = userRepository(root, 'package-json-only');
    writeFileSync(join(unlisted, 'package.json'), '{ not json');
    expect((await runCli(['init'], { cwd: unlisted })).stdout).toContain(`1. Install labbook@${TOOL_VERSION} (`);
  });

  it('writes workflows for a user repository: the released action and package by version, the permissions of our own workflows', async () => {
    const project = userRepository(root, 'perm-check');
    expect((await runCli(['init', '--action-repo', 'acme/labbook', '--action-ref', 'v9.9.9'], { cwd: project })).code).toBe(0);
    for (const name of WORKFLOWS) {
      const text = readFileSync(join(project, '.github/workflows', `${name}.yml`), 'utf8');
      expect(text, name).not.toMatch(/\.\/action|bin\/labbook\.js|bin\/tsx\.js|@\{/);
      const ours = workflowJobs(join(REPO, '.github/workflows', `${name}.yml`));
      const theirs = workflowJobs(join(project, '.github/workflows', `${name}.yml`));
      for (const [job, definition] of Object.entries(theirs)) {
        expect(definition.permissions, `${name}.yml job ${job}`).toEqual(ours[job]!.permissions);
        for (const step of definition.steps ?? []) {
          if (step.uses?.includes('labbook/action')) expect(step.uses).toBe('acme/labbook/action@v9.9.9');
        }
      }
      const oursTop = (yaml.load(readFileSync(join(REPO, '.github/workflows', `${name}.yml`), 'utf8')) as { permissions?: unknown })
        .permissions;
      expect((yaml.load(text) as { permissions?: unknown }).permissions, `${name}.yml`).toEqual(oursTop);
    }
    const evaluate = workflowJobs(join(project, '.github/workflows/evaluate.yml'));
    expect(Object.keys(evaluate)).toEqual(['evaluate', 'merge', 'attest']);
    // The optional attestations deploy.md's require-attestation relies on, exactly as ours.
    expect(evaluate.attest).toEqual(workflowJobs(join(REPO, '.github/workflows/evaluate.yml')).attest);
    // deploy.yml checks out exactly the commit the checks passed, as action.md says.
    const deploySteps = workflowJobs(join(project, '.github/workflows/deploy.yml')).deploy!.steps!;
    expect(deploySteps.some((s) => s.uses === 'actions/checkout@v4' && s.with?.ref === '${{ steps.labbook.outputs.commit }}')).toBe(true);
    const evidence = evaluate.evaluate!.steps!.find((s) => s.uses === 'actions/upload-artifact@v7');
    expect(evidence?.with).toMatchObject({ path: '${{ steps.labbook.outputs.evidence-path }}', archive: false });
    expect(evaluate.evaluate!.steps!.some((s) => s.run === 'npm ci')).toBe(true);
    const pages = readFileSync(join(project, '.github/workflows/pages.yml'), 'utf8');
    expect(pages).toContain(`LABBOOK_VERSION: "${TOOL_VERSION}"`);
    expect(pages).toContain('labbook site build --data .labbook-data/experiments');
    expect(readFileSync(join(project, '.github/workflows/evaluate.yml'), 'utf8')).toContain('full commit sha');
  });

  it('--lang ts writes eval.ts instead of eval.mjs, and the evaluate workflow runs it with tsx', async () => {
    const ts = userRepository(root, 'ts-project');
    const result = await runCli(['init', '--lang', 'ts'], { cwd: ts });
    expect(result.code).toBe(0);
    expect(existsSync(join(ts, 'eval.ts'))).toBe(true);
    expect(existsSync(join(ts, 'eval.mjs'))).toBe(false);
    expect(readFileSync(join(ts, '.github/workflows/evaluate.yml'), 'utf8')).toContain('command: npx tsx eval.ts');
    expect(result.stdout).toContain(`npm install --save-dev labbook@${TOOL_VERSION} tsx`);
  });

  it('--lang py writes eval.py alone, and an evaluate workflow that sets up Python and runs it, with no npm', async () => {
    const py = userRepository(root, 'py-project');
    const result = await runCli(['init', '--lang', 'py', '--experiment', 'bot'], { cwd: py });
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(join(py, 'eval.py'))).toBe(true);
    expect(existsSync(join(py, 'eval.mjs'))).toBe(false);
    expect(existsSync(join(py, 'eval.ts'))).toBe(false);
    const steps = workflowJobs(join(py, '.github/workflows/evaluate.yml')).evaluate!.steps!;
    expect(steps.map((s) => s.uses ?? s.run)).toEqual([
      'actions/checkout@v4',
      'actions/setup-python@v5',
      'if [ -f requirements.txt ]; then python3 -m pip install -r requirements.txt; fi',
      'labbook-dev/labbook/action@v' + TOOL_VERSION,
      'actions/upload-artifact@v7',
      'actions/upload-artifact@v4',
    ]);
    expect(steps.find((s) => s.id === 'labbook')!.with!.command).toBe('python3 eval.py');
    expect(result.stdout).toContain('npx labbook run --experiment bot --config agent.yaml --dataset data.jsonl -- python3 eval.py');
    expect(result.stdout).toContain('the evaluate workflow needs no npm install');
    expect(result.stdout).not.toContain('eval.mjs');
  });

  it('refuses to overwrite any existing file, naming each, and writes nothing; --force replaces them', async () => {
    const project = userRepository(root, 'refusals');
    writeFileSync(join(project, 'labbook.config.yaml'), 'data: mine\n');
    const refused = await runCli(['init', '--data', 'experiments'], { cwd: project });
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain('labbook.config.yaml');
    expect(listFiles(project)).toEqual(['labbook.config.yaml']);
    expect(readFileSync(join(project, 'labbook.config.yaml'), 'utf8')).toBe('data: mine\n');

    const forced = await runCli(['init', '--data', 'experiments', '--force'], { cwd: project });
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('labbook.config.yaml (replaced)');
    expect(readFileSync(join(project, 'labbook.config.yaml'), 'utf8')).toContain('data: experiments');

    const again = await runCli(['init'], { cwd: project });
    expect(again.code).toBe(1);
    for (const path of ['labbook.config.yaml', 'eval.mjs', 'eval.py', '.github/workflows/evaluate.yml'])
      expect(again.stderr).toContain(path);
  });

  it('never edits a .gitignore the repository has: the next steps name what it lacks, and nothing when it lacks nothing', async () => {
    const partial = userRepository(root, 'own-gitignore');
    writeFileSync(join(partial, '.gitignore'), 'node_modules/\n');
    const result = await runCli(['init'], { cwd: partial });
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(join(partial, '.gitignore'), 'utf8')).toBe('node_modules/\n');
    expect(result.stdout).not.toMatch(/^ {2}\.gitignore$/m);
    expect(result.stdout).toContain('Add _site/ to your .gitignore, so that git add leaves it out.');

    const complete = userRepository(root, 'complete-gitignore');
    writeFileSync(join(complete, '.gitignore'), '_site\nnode_modules\n');
    const quiet = await runCli(['init'], { cwd: complete });
    expect(quiet.stdout).not.toContain('.gitignore');
  });

  it('--dry-run lists what it would write and writes nothing', async () => {
    const project = userRepository(root, 'dry');
    const result = await runCli(['init', '--dry-run'], { cwd: project });
    expect(result.code).toBe(0);
    // Sizes as every command prints them: KiB past 1,024 bytes.
    expect(result.stdout).toMatch(/eval\.mjs \(\d+\.\d KiB\)/);
    expect(result.stdout).toMatch(/labbook\.config\.yaml \(\d+ bytes\)/);
    expect(result.stdout).toContain('.github/workflows/deploy.yml');
    expect(result.stdout).toMatch(/^ {2}\.gitignore \(\d+ bytes\)$/m);
    expect(listFiles(project)).toEqual([]);
  });

  it('writes at the repository root from a folder inside it, and refuses a data folder outside it', async () => {
    const project = userRepository(root, 'nested');
    mkdirSync(join(project, 'src', 'agent'), { recursive: true });
    expect((await runCli(['init', '--experiment', 'qa'], { cwd: join(project, 'src', 'agent') })).code).toBe(0);
    expect(existsSync(join(project, '.github/workflows/evaluate.yml'))).toBe(true);
    expect(existsSync(join(project, 'experiments/qa/experiment.yaml'))).toBe(true);
    const outside = userRepository(root, 'outside');
    const result = await runCli(['init', '--data', '../elsewhere'], { cwd: outside });
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toMatch(/--data must be a folder inside the repository/);
    expect(listFiles(outside)).toEqual([]);
  });

  it.each([
    [['--metric', 'correct:up'], /--metric "correct:up"/],
    [['--metric', '9lives'], /--metric "9lives"/],
    [['--metric', 'a:higher', '--metric', 'a:lower'], /given twice/],
    [['--lang', 'rb'], /--lang "rb": use js, ts or py/],
    [['--experiment', 'My Exp'], /--experiment "My Exp"/],
    [['--experiment', 'a'.repeat(128)], /--experiment: a name is at most 100 characters; this one has 128/],
    [['--action-repo', 'not a repo'], /--action-repo/],
    [['somewhere'], /unexpected argument "somewhere"/],
  ])('refuses bad input %j with one line that names it, writing nothing', async (args, message) => {
    const project = userRepository(root, `bad-${Math.random().toString(36).slice(2)}`);
    const result = await runCli(['init', ...args], { cwd: project });
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toMatch(message);
    expect(listFiles(project)).toEqual([]);
  });
});
