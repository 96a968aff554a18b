import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { finishRun } from '../../src/store/finish-run.ts';
import { ensureExperiment } from '../../src/store/run-writer.ts';
import { TraceWriter } from '../../src/store/trace-writer.ts';
import { createLocalRun } from '../helpers/local-run.ts';
import { makeTrace } from '../helpers/make-trace.ts';
import { runCli } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';

/**
 * A run folder holding a symbolic link or a pipe where one of its files belongs, as a commit to
 * the data branch can carry: a link could have the site or a CI log show another file's
 * contents, and /dev/zero or a pipe has no end to read to. Each is refused by name, promptly,
 * and the run's other files are read as usual.
 */
const root = tempDir('labbook-links-');
const dataDir = join(root, 'experiments');
const elsewhere = join(root, 'elsewhere');
let id = '';
let dir = '';

beforeEach(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(elsewhere, { recursive: true });
  await ensureExperiment(dataDir, 'demo');
  const created = await createLocalRun({ root, dataDir, experiment: 'demo', config: 'agent' });
  const writer = new TraceWriter(created.dir);
  for (const i of [1, 2, 3]) writer.append(makeTrace(i));
  writer.close();
  await finishRun(created.dir);
  ({ dir } = created);
  id = created.manifest.id;
});

const cli = (...argv: string[]) => runCli(argv, { cwd: root });

describe('a run whose files are links or pipes', () => {
  it('does not read a traces.jsonl that links to /dev/zero: validate names it and reads the chunks', { timeout: 30_000 }, async () => {
    symlinkSync('/dev/zero', join(dir, 'traces.jsonl'));
    const validate = await cli('validate');
    expect(validate.code).toBe(1);
    expect(validate.stdout + validate.stderr).toContain(
      `${join(dir, 'traces.jsonl')}: a symbolic link, not read: a run's files are regular files of its own`,
    );
    // The readers that would give a partial answer refuse the run instead, by the same words.
    const csv = await cli('export', 'csv', '--run', id, '-o', join(root, 'out.csv'));
    expect(csv.code).toBe(1);
    expect(csv.stderr).toContain('traces.jsonl: a symbolic link, not read');
  });

  it('does not read a run.json that links to another file, even a valid run.json', { timeout: 30_000 }, async () => {
    const outside = join(elsewhere, 'run.json');
    copyFileSync(join(dir, 'run.json'), outside);
    rmSync(join(dir, 'run.json'));
    symlinkSync(outside, join(dir, 'run.json'));
    const show = await cli('show', id);
    expect(show.code).not.toBe(0);
    expect(show.stdout + show.stderr).toContain(`${join(dir, 'run.json')}: a symbolic link, not read`);
  });

  it('does not wait on a metrics.json that is a pipe: validate names it, show goes without its table', { timeout: 30_000 }, async () => {
    rmSync(join(dir, 'metrics.json'));
    execFileSync('mkfifo', [join(dir, 'metrics.json')]);
    const validate = await cli('validate');
    expect(validate.code).toBe(1);
    expect(validate.stdout + validate.stderr).toContain(`${join(dir, 'metrics.json')}: not a regular file, not read`);
    const show = await cli('show', id);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toContain('3 traces');
  });
});
