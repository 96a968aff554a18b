import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';

/** `labbook run` without --experiment: the data folder's only experiment, said on stderr; else a list. */
describe('labbook run without --experiment', () => {
  const root = tempDir('labbook-run-default-');
  writeFileSync(join(root, 'agent.yaml'), 'model: m\n');
  const run = (...argv: string[]) =>
    runCli(['run', '--config', 'agent.yaml', '--no-otlp', ...argv, '--', process.execPath, '-e', '0'], { cwd: root });
  const experiment = (name: string) => {
    mkdirSync(join(root, 'experiments', name), { recursive: true });
    writeFileSync(join(root, 'experiments', name, 'experiment.yaml'), `name: ${name}\n`);
  };

  it('says how to make one when there is none', async () => {
    const result = await run();
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--experiment is required: ');
    expect(result.stderr).toContain('has no experiment yet ("labbook init" makes one, or --create)');
    expect((await run('--create')).stderr).toContain('--create needs --experiment <name>');
  });

  it('takes the only experiment, and says so', async () => {
    experiment('support-bot');
    const result = await run();
    expect(result.stdout, result.stderr).toMatch(/run \S+ failed \(the command recorded no traces\)/); // `node -e 0` records none
    expect(result.stderr).toContain('experiment: support-bot (the only one in experiments)');
    expect(readdirSync(join(root, 'experiments', 'support-bot', 'runs'))).toHaveLength(1);
  });

  it('lists them when there are several', async () => {
    experiment('triage');
    const result = await run();
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--experiment is required: one of support-bot, triage');
  });
});
