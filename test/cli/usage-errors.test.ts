import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

  it('says in one line that a value starting with "-" was read as an option', async () => {
    const result = await runCli(['site', 'preview', '--port', '-1'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      'labbook site: --port is followed by a value that starts with "-", which is read as an option: give --port a value, or write --port=-… if the value starts with "-"',
      '(run "labbook site --help" for its options)',
    ]);
  });

  it('says in one line which option was given no value, or a value it does not take', async () => {
    for (const [argv, option] of [
      [['annotations', 'check', '--base'], '--base'],
      [['report', 'a', 'b', '-o'], '--output'],
    ] as const) {
      const result = await runCli([...argv], { cwd });
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')[0]).toBe(`labbook ${argv[0]}: ${option} needs a value: ${option} <value>`);
    }
    const switched = await runCli(['ls', '--json=yes'], { cwd });
    expect(switched.code).toBe(2);
    expect(switched.stderr.trim().split('\n')[0]).toBe('labbook ls: --json takes no value: write --json alone');
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

  it('suggests the sub-command a typo meant, and the command that makes what export does not (a PDF)', async () => {
    const firstLine = async (argv: string[]) => {
      const result = await runCli(argv, { cwd });
      expect(result.code, argv.join(' ')).toBe(2);
      return result.stderr.trim().split('\n')[0];
    };
    expect(await firstLine(['site', 'biuld'])).toBe(
      'labbook site: unknown sub-command "biuld" (did you mean "build"?); labbook site takes build or preview',
    );
    expect(await firstLine(['annotations', 'chek'])).toBe(
      'labbook annotations: unknown sub-command "chek" (did you mean "check"?); labbook annotations takes check or preview',
    );
    expect(await firstLine(['deploy', 'chek', '--run', 'x'])).toBe(
      'labbook deploy: unknown sub-command "chek" (did you mean "check"?); labbook deploy takes check; labbook deploy check --run <id>',
    );
    expect(await firstLine(['export', 'cvs', '--run', 'x'])).toBe(
      'labbook export: unknown sub-command "cvs" (did you mean "csv"?); labbook export takes otlp or csv',
    );
    expect(await firstLine(['export', 'pdf', '--run', 'x'])).toBe(
      'labbook export: unknown sub-command "pdf"; labbook export takes otlp or csv; a PDF or HTML report of 2–4 runs is "labbook report"',
    );
    expect(await firstLine(['site'])).toBe('labbook site: give a sub-command: labbook site takes build or preview');
    expect(await firstLine(['deploy'])).toBe(
      'labbook deploy: give a sub-command: labbook deploy takes check; labbook deploy check --run <id>',
    );
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

  it('says in one line, never as "a bug", when a path given is a folder, a file or nothing', async () => {
    const repo = tempDir('labbook-paths-');
    execFileSync('git', ['init', '-q', repo]);
    writeFileSync(join(repo, 'agent.yaml'), 'model: m\n');
    mkdirSync(join(repo, 'a-folder'));
    const oneLine = async (argv: string[], message: RegExp) => {
      const result = await runCli(argv, { cwd: repo });
      expect(result.stderr).not.toContain('a bug');
      expect(result.stderr.trim().split('\n'), result.stderr).toHaveLength(1);
      expect(result.stderr).toMatch(message);
      expect(result.code).toBe(1);
    };
    await oneLine(
      ['run', '-e', 'qa', '--create', '--config', 'a-folder', '--', 'true'],
      /the config .*a-folder is a folder: give the agent's config file/,
    );
    await oneLine(
      ['run', '-e', 'qa', '--create', '--config', 'agent.yaml', '--dataset', 'a-folder', '--', 'true'],
      /the dataset .*a-folder is a folder: give the dataset file \(JSON Lines\)/,
    );
    // Neither left a run behind.
    expect(existsSync(join(repo, 'experiments', 'qa', 'runs')) ? readdirSync(join(repo, 'experiments', 'qa', 'runs')) : []).toEqual([]);
    // Right input makes a run (failed: `true` records no trace).
    expect((await runCli(['run', '-e', 'qa', '--create', '--config', 'agent.yaml', '--', 'true'], { cwd: repo })).stdout).toMatch(
      /run \S+ failed \(the command recorded no traces\)/,
    );
    await oneLine(
      ['export', 'csv', '--experiment', 'qa', '-o', 'a-folder'],
      /cannot write .*a-folder: it is a folder, not a file \(EISDIR\)/,
    );
    await oneLine(['gc', '--site', 'nosuch'], /nosuch: there is no such file or folder \(ENOENT\); check the path/);
  });

  it('refuses arguments a command does not take, rather than ignore them', async () => {
    for (const [argv, takes] of [
      [['show', 'a', 'b', 'c'], '2 arguments'],
      [['ls', 'demo', 'extra'], 'one argument'],
      [['validate', 'experiments', 'nosuch'], 'one argument'],
      [['compact', 'a', 'b'], 'one argument'],
    ] as const) {
      const result = await runCli([...argv], { cwd });
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stderr).toContain(`labbook ${argv[0]}: unexpected argument "${argv.at(-1)}" (${argv[0]} takes ${takes})`);
    }
  });

  it('says in one line what is missing when a command is given no run, rather than print its usage', async () => {
    for (const [argv, message] of [
      [['show'], 'labbook show: name the run to show: labbook show <run> [<trace>] ("labbook ls <experiment>" lists the runs)'],
      [['rm'], 'labbook rm: name the runs to remove (labbook rm <run>...), or choose them with --status failed|partial|running'],
    ] as const) {
      const result = await runCli([...argv], { cwd });
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stderr.trim().split('\n')).toEqual([message, `(run "labbook ${argv[0]} --help" for its options)`]);
    }
  });

  it('still prints the whole usage when asked', async () => {
    const help = await runCli(['show', '--help'], { cwd });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: labbook show/);
    // "labbook help <command>" as git and npm take it: that command's usage, not the list of commands.
    expect(await runCli(['help', 'show'], { cwd })).toEqual(help);
    const typo = await runCli(['help', 'shwo'], { cwd });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('unknown command "shwo" (did you mean "show"?)');
  });
});
