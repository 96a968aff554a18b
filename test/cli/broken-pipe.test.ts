import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir.ts';

const LABBOOK = resolve('bin/labbook.js');

// An evaluation that prints far more than a pipe holds, then records its one trace.
const SCRIPT = `
const s = Date.now();
for (let i = 0; i < 20000; i++) console.log('progress line ' + i + ' ' + 'x'.repeat(40));
require('node:fs').appendFileSync(require('node:path').join(process.env.LABBOOK_RUN_DIR, 'traces.jsonl'), JSON.stringify({ id: 't1', exampleId: 'e1', input: 'q', output: 'a', start: s, end: s + 1, durationMs: 1,
  spans: [{ id: 'root', parentId: null, name: 'agent', type: 'AGENT', start: s, end: s + 1 }], scores: [{ name: 'ok', value: true }] }) + '\\n');
`;

const repo = tempDir('labbook-pipe-');
beforeAll(() => {
  execFileSync('git', ['init', '-q', '-b', 'main', repo]);
  writeFileSync(join(repo, 'eval.cjs'), SCRIPT);
  writeFileSync(join(repo, 'config.yaml'), 'model: m1\n');
});

/** `labbook <args> | head -n 2` through a shell: labbook's own exit code and stderr. */
function intoHead(args: string): { code: number; stderr: string } {
  const result = spawnSync('bash', ['-c', `set -o pipefail; node ${LABBOOK} ${args} 2>labbook.err | head -n 2 >/dev/null`], {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, GITHUB_ACTIONS: '' },
  });
  return { code: result.status ?? -1, stderr: readFileSync(join(repo, 'labbook.err'), 'utf8') };
}

describe('output piped into a reader that stops early (| head)', () => {
  it('lets `labbook run` finish and seal its run, and `labbook show` exit 0, with no stack trace', { timeout: 60_000 }, () => {
    const run = intoHead('run --experiment qa --create --config config.yaml -- node eval.cjs');
    expect(run.stderr).not.toMatch(/EPIPE|at .*\.js:\d+/);
    expect(run.code, run.stderr).toBe(0);
    const runs = readdirSync(join(repo, 'experiments', 'qa', 'runs'));
    expect(runs).toHaveLength(1);
    const manifest = JSON.parse(readFileSync(join(repo, 'experiments', 'qa', 'runs', runs[0]!, 'run.json'), 'utf8')) as {
      status: string;
      counts: { traces: number };
    };
    expect(manifest.status).toBe('completed');
    expect(manifest.counts.traces).toBe(1);

    const show = intoHead(`show ${runs[0]}`);
    expect(show.stderr).toBe('');
    expect(show.code).toBe(0);
  });

  it('lets an export streamed to stdout stop quietly when its reader goes', { timeout: 60_000 }, () => {
    // 5,000 traces: several megabytes of CSV and OTLP JSON, far more than a pipe holds.
    writeFileSync(
      join(repo, 'many.cjs'),
      `const s = Date.now(); const lines = [];
for (let i = 0; i < 5000; i++) lines.push(JSON.stringify({ id: 't' + i, exampleId: 'e' + i, input: 'question ' + i + ' ' + 'y'.repeat(300), output: 'a', start: s, end: s + 1, durationMs: 1,
  spans: [{ id: 'root', parentId: null, name: 'agent', type: 'AGENT', start: s, end: s + 1 }], scores: [{ name: 'ok', value: i % 2 === 0 }] }));
require('node:fs').appendFileSync(require('node:path').join(process.env.LABBOOK_RUN_DIR, 'traces.jsonl'), lines.join('\\n') + '\\n');`,
    );
    const made = spawnSync('node', [LABBOOK, 'run', '-e', 'many', '--create', '-c', 'config.yaml', '--', 'node', 'many.cjs'], {
      cwd: repo,
      encoding: 'utf8',
    });
    expect(made.status, made.stderr).toBe(0);
    const [run] = readdirSync(join(repo, 'experiments', 'many', 'runs'));
    for (const command of [`export csv --run ${run}`, `export otlp --run ${run}`]) {
      const piped = intoHead(command);
      expect(piped.stderr, command).toBe('');
      expect(piped.code, command).toBe(0);
    }
  });
});
