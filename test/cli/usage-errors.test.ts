import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';

describe('a usage error is one line and a hint, not a page of usage', () => {
  const cwd = tempDir('labbook-usage-');

  it('names the problem and points at --help', async () => {
    const result = await runCli(['show', '--no-such-flag'], { cwd });
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^labbook show: .*no-such-flag/);
    expect(lines[1]).toBe('(run "labbook show --help" for its options)');
    expect(result.stderr).not.toContain('usage:');
  });

  it('suggests the command a typo meant', async () => {
    const typo = await runCli(['comapre', 'a', 'b'], { cwd });
    expect(typo.code).toBe(2);
    expect(typo.stderr.trim()).toBe('labbook: unknown command "comapre" (did you mean "compare"?); "labbook --help" lists the commands');
    const prefix = await runCli(['valid'], { cwd });
    expect(prefix.stderr).toContain('did you mean "validate"?');
    const nothing = await runCli(['xyzzy'], { cwd });
    expect(nothing.stderr.trim()).toBe('labbook: unknown command "xyzzy"; "labbook --help" lists the commands');
  });

  it('names an unknown option and the option it was probably meant to be', async () => {
    const out = await runCli(['report', '--runs', 'a,b', '--out', 'r.pdf'], { cwd });
    expect(out.code).toBe(2);
    expect(out.stderr.trim().split('\n')[0]).toBe('labbook report: unknown option --out (did you mean --output or -o?)');
    const typo = await runCli(['run', '--experimnet', 'x', '--', 'true'], { cwd });
    expect(typo.stderr).toContain('labbook run: unknown option --experimnet (did you mean --experiment or -e?)');
    const unrelated = await runCli(['import', '--create'], { cwd });
    expect(unrelated.stderr.trim().split('\n')[0]).toBe('labbook import: unknown option --create');
    const short = await runCli(['show', '-z'], { cwd });
    expect(short.stderr.trim().split('\n')[0]).toBe('labbook show: unknown option -z');
  });

  it('still prints the whole usage when asked', async () => {
    const help = await runCli(['show', '--help'], { cwd });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: labbook show/);
  });
});
