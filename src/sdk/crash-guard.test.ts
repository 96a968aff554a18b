import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readRunManifest } from '../store/run-reader.ts';
import { readPlainTraces } from '../store/trace-storage.ts';
import { runCli } from '../../test/helpers/run-cli.ts';

const repo = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const sdk = join(repo, 'src/sdk/index.ts');

/**
 * A standalone evaluation script: traces three examples, says "ready", then does what `mode`
 * says — waits to be killed, throws, or ends without finishing the run.
 */
const SCRIPT = `
import { startRun, span } from ${JSON.stringify(sdk)};
const mode = process.argv[2];
const run = await startRun({ experiment: 'demo', configPath: 'config.yaml', dataDir: 'experiments' });
for (const i of [1, 2, 3]) {
  await run.trace({ id: 'q' + i, input: i }, () => span('step', 'TOOL', async () => i * 2));
}
if (mode === 'two') {
  const second = await startRun({ experiment: 'demo', configPath: 'config.yaml', dataDir: 'experiments' });
  await second.trace({ id: 'other', input: 0 }, () => 0);
}
// A fourth trace that never finishes: it must not be written.
void run.trace({ id: 'q4', input: 4 }, () => new Promise(() => {}));
process.stdout.write('ready\\n');
if (mode === 'wait' || mode === 'two') setInterval(() => {}, 1000);
if (mode === 'throw') setTimeout(() => { throw new Error('agent exploded'); }, 10);
`;

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'labbook-crash-'));
  await writeFile(join(tmp, 'config.yaml'), 'model: demo\n');
  await writeFile(join(tmp, 'script.mts'), SCRIPT);
});
afterEach(() => rm(tmp, { recursive: true, force: true }));

interface Outcome {
  pid: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

function runScript(mode: string, signal?: NodeJS.Signals): Promise<Outcome> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(repo, 'bin/tsx.js'), 'script.mts', mode], {
      cwd: tmp,
      env: { ...process.env, LABBOOK_RUN_DIR: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (signal && stdout.includes('ready\n')) child.kill(signal);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, closedBy) => resolvePromise({ pid: child.pid!, code, signal: closedBy, stderr }));
  });
}

async function runDirs(): Promise<string[]> {
  const runs = join(tmp, 'experiments', 'demo', 'runs');
  return (await readdir(runs)).map((id) => join(runs, id));
}

async function onlyRun(): Promise<string> {
  const dirs = await runDirs();
  expect(dirs).toHaveLength(1);
  return dirs[0]!;
}

async function tracesIn(dir: string): Promise<string[]> {
  const text = await readPlainTraces(dir);
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line).exampleId);
}

describe('a standalone run that does not finish', () => {
  it('is sealed partial with its finished traces on SIGTERM, exiting 143', async () => {
    const outcome = await runScript('wait', 'SIGTERM');
    expect(outcome).toMatchObject({ code: 143, signal: null });
    const dir = await onlyRun();
    const manifest = await readRunManifest(dir);
    expect(manifest).toMatchObject({ status: 'partial', counts: { traces: 3, spans: 3 } });
    expect(manifest.statusReason).toBe('interrupted by SIGTERM; 1 trace in progress was not recorded');
    expect(await tracesIn(dir)).toEqual(['q1', 'q2', 'q3']);
    expect(existsSync(join(dir, 'metrics.json'))).toBe(true);
    expect(existsSync(join(dir, 'SHA256SUMS'))).toBe(true);
    expect(outcome.stderr).toContain('sealed as partial');
  });

  it('is sealed partial on SIGINT, exiting 130', async () => {
    const outcome = await runScript('wait', 'SIGINT');
    expect(outcome.code).toBe(130);
    expect((await readRunManifest(await onlyRun())).status).toBe('partial');
  });

  it('is sealed with every other unfinished run of the process', async () => {
    const outcome = await runScript('two', 'SIGTERM');
    expect(outcome.code).toBe(143);
    const manifests = await Promise.all((await runDirs()).map((dir) => readRunManifest(dir)));
    expect(manifests.map((m) => [m.status, m.counts.traces]).sort()).toEqual([
      ['partial', 1],
      ['partial', 3],
    ]);
  });

  it('is sealed failed on an uncaught exception, which is still printed, exiting 1', async () => {
    const outcome = await runScript('throw');
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain('Error: agent exploded');
    expect(outcome.stderr).toMatch(/at .*script\.mts/);
    const manifest = await readRunManifest(await onlyRun());
    expect(manifest).toMatchObject({ status: 'failed', counts: { traces: 3 } });
    expect(manifest.statusReason).toContain('uncaught exception: agent exploded');
  });

  it('killed outright (SIGKILL runs no handler), is found by validate and sealed partial by repair', async () => {
    const outcome = await runScript('wait', 'SIGKILL');
    expect(outcome.signal).toBe('SIGKILL');
    const dir = await onlyRun();
    expect((await readRunManifest(dir)).status).toBe('running');
    const id = dir.split(/[\\/]/).at(-1)!;
    const validated = await runCli(['validate'], { cwd: tmp });
    expect(validated.code).toBe(1);
    expect(validated.stderr).toMatch(
      new RegExp(
        `status: is "running" but its writer \\(pid ${outcome.pid} on .*\\) is gone: process ${outcome.pid} has exited; "labbook repair ${id}"`,
      ),
    );
    const repaired = await runCli(['repair', id], { cwd: tmp });
    expect(repaired.stdout).toMatch(/running → partial, 3 traces kept/);
    expect((await runCli(['validate'], { cwd: tmp })).code).toBe(0);
  });

  it('is sealed partial when the script ends without run.finish()', async () => {
    const outcome = await runScript('end');
    expect(outcome.code).toBe(0);
    const manifest = await readRunManifest(await onlyRun());
    expect(manifest).toMatchObject({ status: 'partial', counts: { traces: 3 } });
    expect(manifest.statusReason).toContain('without calling run.finish()');
  });
});
