import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './docs/labbook-package.ts';
import { runCli } from './helpers/run-cli.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { userRepository } from './init/init-project.ts';
import { lintWorkflow } from './workflow-lint.ts';

/** Every workflow of this repository, the action's metadata, and every workflow `labbook init` writes pass the linter. */
const ownWorkflows = join(REPO, '.github', 'workflows');

describe('the workflow linter (@action-validator/core)', () => {
  it.each(readdirSync(ownWorkflows).filter((f) => f.endsWith('.yml')))("passes this repository's %s", (file) => {
    expect(lintWorkflow(readFileSync(join(ownWorkflows, file), 'utf8'))).toEqual([]);
  });

  it('passes action/action.yml', () => {
    expect(lintWorkflow(readFileSync(join(REPO, 'action', 'action.yml'), 'utf8'), 'action')).toEqual([]);
  });

  it.each([['js'], ['ts'], ['py']])('passes every workflow labbook init writes (--lang %s)', async (lang) => {
    const project = userRepository(tempDir('labbook-lint-'), 'project');
    expect((await runCli(['init', '--lang', lang], { cwd: project })).code).toBe(0);
    const dir = join(project, '.github', 'workflows');
    const files = readdirSync(dir);
    expect(files).toHaveLength(7);
    for (const file of files) expect(lintWorkflow(readFileSync(join(dir, file), 'utf8')), file).toEqual([]);
  });

  it('fails a workflow with a mistake, so a pass means something', () => {
    const broken = 'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    step:\n      - run: echo hi\n';
    expect(lintWorkflow(broken).join('\n')).toMatch(/step/);
    expect(
      lintWorkflow('on: push\nconcurrency:\n  group: g\n  queue: 3\njobs:\n  a:\n    runs-on: x\n    steps: [{ run: echo }]\n'),
    ).toEqual(['concurrency.queue: "3" (only "max")']);
    expect(
      lintWorkflow('on: push\npermissions:\n  contents: maybe\njobs:\n  a:\n    runs-on: x\n    steps: [{ run: echo }]\n').join('\n'),
    ).toMatch(/permissions/);
  });
});
