import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';

/**
 * A pipe hands `labbook run` the command's output in pieces that need not end at a line end
 * (a line written in two parts, its line end arriving alone). What the command printed must
 * come through as it printed it: no line cut in two, no blank line it did not print.
 */
const repo = tempDir('labbook-run-output-');
const SCRIPT = `
const later = (ms, fn) => new Promise((resolve) => setTimeout(() => { fn(); resolve(); }, ms));
await later(0, () => process.stdout.write('half'));
await later(80, () => process.stdout.write(' a line'));
await later(80, () => process.stdout.write('\\n'));
await later(80, () => process.stdout.write('\\nafter a blank line\\nand the last, with no line end'));
await later(0, () => process.stderr.write('a warn'));
await later(80, () => process.stderr.write('ing\\n'));
`;

it('passes the command’s output through line by line, however the pipe cuts it', async () => {
  execFileSync('git', ['init', '-q', '-b', 'main', repo]);
  mkdirSync(join(repo, 'experiments', 'demo'), { recursive: true });
  writeFileSync(join(repo, 'experiments', 'demo', 'experiment.yaml'), 'name: demo\n');
  writeFileSync(join(repo, 'agent.yaml'), 'model: m\n');
  writeFileSync(join(repo, 'pieces.mjs'), SCRIPT);
  const result = await runCli(['run', '--experiment', 'demo', '--config', 'agent.yaml', '--', 'node', 'pieces.mjs'], {
    cwd: repo,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, GITHUB_ACTIONS: '' },
  });
  expect(result.stdout.split('\nrun ')[0]).toBe('half a line\n\nafter a blank line\nand the last, with no line end\n');
  expect(result.stderr).toContain('a warning\n');
  expect(result.stderr).not.toMatch(/a warn\n/);
});
