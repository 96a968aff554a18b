import { createRun } from '../../src/store/run-writer.ts';
import { gunzipSync, gzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';

// An evaluation script that uses no SDK at all, as one in another language would: it reads
// the LABBOOK_* environment and appends JSON lines that follow schemas/json/trace.schema.json.
const SCRIPT = `
const fs = require('node:fs');
const path = require('node:path');
const dir = process.env.LABBOOK_RUN_DIR;
const count = Number(process.argv[2] || 5);
for (let i = 1; i <= count; i++) {
  const start = Date.now();
  const trace = { id: 't' + i, exampleId: 'ex' + i, input: { q: i }, output: String(i * 2), expected: String(i * 2),
    start, end: start + 5, durationMs: 5,
    spans: [{ id: 'root', parentId: null, name: 'agent', type: 'AGENT', start, end: start + 5 }],
    scores: [{ name: 'correct', value: i % 2 === 1 }, { name: 'config', value: path.basename(process.env.LABBOOK_CONFIG) }] };
  fs.appendFileSync(path.join(dir, 'traces.jsonl'), JSON.stringify(trace) + '\\n');
}
console.log('wrote', count, 'traces for', process.env.LABBOOK_EXPERIMENT, process.env.LABBOOK_RUN_ID);
if (process.argv[3] === 'crash') { console.error('boom: evaluator crashed'); process.exit(3); }
`;

const repo = tempDir('labbook-cli-');
beforeAll(() => {
  execFileSync('git', ['init', '-q', '-b', 'main', repo]);
  writeFileSync(join(repo, 'eval.cjs'), SCRIPT);
  mkdirSync(join(repo, 'configs'));
  writeFileSync(join(repo, 'configs', 'baseline.yaml'), 'model: m1\nparams: { top_k: 3 }\n');
  mkdirSync(join(repo, 'experiments', 'demo'), { recursive: true });
  writeFileSync(join(repo, 'experiments', 'demo', 'experiment.yaml'), 'name: demo\n');
  execFileSync('git', ['-C', repo, 'add', '.']);
  execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '-qm', 'init']);
});

describe('labbook run', () => {
  it('runs the command with the LABBOOK_* environment and seals a completed local run', async () => {
    const result = await runCli(['run', '--experiment', 'demo', '--config', 'configs/baseline.yaml', '--', 'node', 'eval.cjs', '6'], {
      cwd: repo,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/wrote 6 traces for demo \d{8}-\d{6}-baseline-[0-9a-f]{6}/);
    expect(result.stdout).toMatch(/run \d{8}-\d{6}-baseline-[0-9a-f]{6} completed/);
    expect(result.stdout).toMatch(/correct\s+boolean\s+6\s+50\.0%\s+\[/);
    expect(result.stdout).toMatch(/config\s+label\s+6.*baseline\.yaml: 6/);
    const runId = /run (\S+) completed/.exec(result.stdout)![1]!;
    const manifest = JSON.parse(readFileSync(join(repo, 'experiments', 'demo', 'runs', runId, 'run.json'), 'utf8'));
    expect(manifest).toMatchObject({
      status: 'completed',
      source: { kind: 'local' },
      code: { branch: 'main', dirty: false },
      config: { path: 'configs/baseline.yaml', name: 'baseline' },
      process: { command: ['node', 'eval.cjs', '6'], exitCode: 0 },
    });
    expect(manifest.code.commit).toMatch(/^[0-9a-f]{40}$/);
  });

  it('keeps the traces of a crashing command in a failed run and exits non-zero', async () => {
    const result = await runCli(
      ['run', '-e', 'demo', '-c', 'configs/baseline.yaml', '--name', 'crashy', '--', 'node', 'eval.cjs', '3', 'crash'],
      { cwd: repo },
    );
    expect(result.code).toBe(3); // the command's own exit code
    expect(result.stdout).toMatch(/failed \(the command exited with code 3\)/);
    expect(result.stdout).toMatch(/3 traces, 0 errors/);
    const runId = /run (\S+) failed/.exec(result.stdout)![1]!;
    const manifest = JSON.parse(readFileSync(join(repo, 'experiments', 'demo', 'runs', runId, 'run.json'), 'utf8'));
    expect(manifest.name).toBe('crashy');
    expect(manifest.process.stderrTail).toContain('boom: evaluator crashed');
  });

  it('says how traces get into a run when the command recorded none, and not otherwise', async () => {
    const none = await runCli(['run', '-e', 'no-traces', '--create', '-c', 'configs/baseline.yaml', '--', 'node', 'eval.cjs', '0'], {
      cwd: repo,
    });
    expect(none.code).toBe(1); // a CI job that evaluated nothing must not pass
    expect(none.stdout).toMatch(/failed \(the command recorded no traces\)\n0 traces, 0 errors/);
    expect(none.stdout).not.toContain('latency (ms)'); // no table of dashes
    const shown = await runCli(['show', /run (\S+) failed/.exec(none.stdout)![1]!], { cwd: repo });
    expect(shown.stdout).toMatch(/^traces +none$/m); // sealed: not "none yet"
    expect(shown.stdout).toContain('failed: the command recorded no traces');
    expect(shown.stdout).not.toContain('latency (ms)');
    expect(none.stderr).toContain('note: the command recorded no traces. A run takes what the Labbook SDK writes to the run');
    expect(none.stderr).toContain('OTEL_EXPORTER_OTLP_ENDPOINT');
    const off = await runCli(
      ['run', '-e', 'no-traces', '--create', '-c', 'configs/baseline.yaml', '--no-otlp', '--', 'node', 'eval.cjs', '0'],
      {
        cwd: repo,
      },
    );
    expect(off.stderr).toContain('with --no-otlp, spans an OpenTelemetry exporter sends are not received');
    const some = await runCli(['run', '-e', 'no-traces', '--create', '-c', 'configs/baseline.yaml', '--', 'node', 'eval.cjs', '1'], {
      cwd: repo,
    });
    expect(some.stderr).not.toContain('recorded no traces');
    // A shard the dataset gives no example has nothing to record: completed, and it says why.
    writeFileSync(join(repo, 'one.jsonl'), '{"id":"a","input":"x"}\n'); // "a" hashes to shard 1 of 2
    const shard = ['run', '-e', 'no-traces', '-c', 'configs/baseline.yaml', '--dataset', 'one.jsonl'];
    const idle = await runCli([...shard, '--shard', '2/2', '--', 'node', 'eval.cjs', '0'], { cwd: repo });
    expect(idle.code, idle.stderr).toBe(0);
    expect(idle.stdout).toMatch(/completed\n0 traces/);
    expect(idle.stderr).toContain("note: shard 2/2 takes none of the dataset's 1 example");
    expect(idle.stderr).not.toContain('recorded no traces');
    expect((await runCli([...shard, '--shard', '1/2', '--', 'node', 'eval.cjs', '0'], { cwd: repo })).code).toBe(1);
    rmSync(join(repo, 'experiments', 'no-traces'), { recursive: true }); // the later tests count demo's runs only
  });

  it('hands --trials to the evaluation command as LABBOOK_TRIALS, and rejects a bad K', async () => {
    const echo = ['node', '-e', 'console.log("trials=" + process.env.LABBOOK_TRIALS)'];
    const result = await runCli(
      ['run', '-e', 'demo', '-c', 'configs/baseline.yaml', '--name', 'trials-echo', '--trials', '3', '--', ...echo],
      { cwd: repo },
    );
    expect(result.stdout).toContain('trials=3');
    const bad = await runCli(['run', '-e', 'demo', '-c', 'configs/baseline.yaml', '--trials', '2.5', '--', ...echo], { cwd: repo });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--trials must be a whole number from 1 to 10000, got "2.5"');
  });

  it('refuses an empty or over-long --name before anything is made, and the store refuses it too', async () => {
    const runs = () => readdirSync(join(repo, 'experiments', 'demo', 'runs')).length;
    const before = runs();
    for (const [name, message] of [
      ['', '--name: a run name cannot be empty: leave it out to name the run after its config'],
      ['   ', '--name: a run name cannot be empty or only spaces'],
      ['x'.repeat(201), '--name: a run name is at most 200 characters; this one has 201'],
    ] as const) {
      const bad = await runCli(['run', '-e', 'demo', '-c', 'configs/baseline.yaml', '--name', name, '--', 'true'], { cwd: repo });
      expect(bad.code, bad.stderr).toBe(2);
      expect(bad.stderr).toContain(message);
    }
    expect(runs()).toBe(before);
    // Every writer goes through createRun (the action, shards): it checks the name itself.
    await expect(
      createRun({
        dataDir: join(repo, 'experiments'),
        experiment: 'demo',
        configPath: join(repo, 'configs', 'baseline.yaml'),
        name: '',
        source: { kind: 'local' } as never,
        code: {} as never,
      }),
    ).rejects.toThrow('a run name cannot be empty');
    expect(runs()).toBe(before);
    expect((await runCli(['ls', 'demo'], { cwd: repo })).code).toBe(0);
  });

  it('explains missing flags and a missing command', async () => {
    expect((await runCli(['run', '-e', 'demo', '--', 'true'], { cwd: repo })).stderr).toMatch(
      /--config is required: the agent's config file/,
    );
    // Where YAML files sit, it names them: the config is likely among them.
    expect((await runCli(['run', '-e', 'demo', '--', 'true'], { cwd: join(repo, 'configs') })).stderr).toMatch(
      /--config is required: the agent's config file the run records \(here: baseline\.yaml/,
    );
    const noCommand = await runCli(['run', '-e', 'demo', '-c', 'configs/baseline.yaml'], { cwd: repo });
    expect(noCommand.code).toBe(2);
    expect(noCommand.stderr).toMatch(/give the evaluation command after "--"/);
    // A command that cannot start is refused before a run is made: no failed run for a typo.
    const runs = () => readdirSync(join(repo, 'experiments', 'demo', 'runs')).length;
    const before = runs();
    const unknown = await runCli(['run', '-e', 'demo', '-c', 'configs/baseline.yaml', '--', 'no-such-binary-xyz'], { cwd: repo });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/command not found: no-such-binary-xyz \(not in PATH\); nothing was recorded/);
    const notExecutable = await runCli(['run', '-e', 'demo', '-c', 'configs/baseline.yaml', '--', './configs/baseline.yaml'], {
      cwd: repo,
    });
    expect(notExecutable.stderr).toMatch(
      /command not found: \.\/configs\/baseline\.yaml \(no executable file there\); nothing was recorded/,
    );
    // A dataset line that is not JSON is named, file and line, before a run is made.
    writeFileSync(join(repo, 'broken.jsonl'), '{"id": "a", "input": 1}\n\n{"id": "b", input: 2}\n');
    const broken = await runCli(['run', '-e', 'demo', '-c', 'configs/baseline.yaml', '--dataset', 'broken.jsonl', '--', 'true'], {
      cwd: repo,
    });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/broken\.jsonl:3:13: malformed JSON: Expected double-quoted property name/);
    rmSync(join(repo, 'broken.jsonl'));
    expect(runs()).toBe(before);
  });

  it('refuses an experiment that does not exist, naming those that do, and writes nothing; --create makes it', async () => {
    const missing = await runCli(['run', '-e', 'dmeo', '-c', 'configs/baseline.yaml', '--', 'node', 'eval.cjs', '1'], { cwd: repo });
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/experiment not found: dmeo \(experiments in .*experiments: demo; --create makes a new one/);
    expect(existsSync(join(repo, 'experiments', 'dmeo'))).toBe(false);

    const created = await runCli(['run', '-e', 'fresh', '--create', '-c', 'configs/baseline.yaml', '--', 'node', 'eval.cjs', '1'], {
      cwd: repo,
    });
    expect(created.code, created.stderr).toBe(0);
    expect(readFileSync(join(repo, 'experiments', 'fresh', 'experiment.yaml'), 'utf8')).toContain('name: fresh');
    rmSync(join(repo, 'experiments', 'fresh'), { recursive: true }); // the later tests count demo's runs only
  });
});

describe('labbook validate, ls and show', () => {
  it('says so, and fails, when the path holds no experiment', async () => {
    for (const path of ['configs', '.']) {
      const result = await runCli(['validate', path], { cwd: repo });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`error: ${join(repo, path)}: holds no experiment`);
      expect(result.stdout).toMatch(/^invalid: 0 experiments/);
    }
  });

  it('validates every run it made, lists them and shows one', async () => {
    const validate = await runCli(['validate'], { cwd: repo });
    expect(validate.stdout).toMatch(/^ok: 1 experiment, \d runs/);
    expect(validate.code).toBe(0);

    const ls = await runCli(['ls'], { cwd: repo });
    expect(ls.stdout).toMatch(/demo\s+\d+\s+\d{8}-/);
    const runs = await runCli(['ls', 'demo'], { cwd: repo });
    expect(runs.stdout).toMatch(/completed\s+local/);
    // The same for scripts.
    const listed = JSON.parse((await runCli(['ls', '--json'], { cwd: repo })).stdout) as {
      experiments: Array<{ name: string; runs: number; primaryMetric: string | null }>;
    };
    expect(listed.experiments).toEqual([expect.objectContaining({ name: 'demo', runs: expect.any(Number) })]);
    const demoRuns = JSON.parse((await runCli(['ls', 'demo', '--json'], { cwd: repo })).stdout) as {
      experiment: string;
      runs: Array<{ id: string; status: string; statusReason?: string; traces: number }>;
    };
    expect(demoRuns.experiment).toBe('demo');
    // A run that is not completed says why, for scripts as on the site; a completed one has no reason.
    for (const run of demoRuns.runs) expect(run.statusReason === undefined, run.status).toBe(run.status === 'completed');
    expect(demoRuns.runs.length).toBe(listed.experiments[0]!.runs);
    expect(demoRuns.runs.map((r) => r.status)).toEqual(expect.arrayContaining(['completed', 'failed']));
    expect(runs.stdout).toMatch(/failed\s+local/);

    const runId = /(\d{8}-\d{6}-baseline-[0-9a-f]{6})\s+baseline\s+completed/.exec(runs.stdout)![1]!;
    const show = await runCli(['show', runId.slice(-6)], { cwd: repo });
    expect(show.stdout).toContain(`run         ${runId}`);
    expect(show.stdout).toMatch(/source\s+local · /);
    const json = JSON.parse((await runCli(['show', runId, '--json'], { cwd: repo })).stdout);
    expect(json.metrics.scores.correct.mean).toBe(0.5);

    // A failed run's reason comes under the table, wrapped, not as one row as wide as the reason.
    const failedId = /(\d{8}-\d{6}-\S+)\s+\S+\s+failed/.exec(runs.stdout)![1]!;
    const failed = await runCli(['show', failedId], { cwd: repo });
    expect(failed.stdout).toMatch(/^status\s+failed \(why: below\)$/m);
    expect(failed.stdout).toMatch(/^failed: \S/m);
    expect(Math.max(...failed.stdout.split('\n').map((line) => line.length))).toBeLessThanOrEqual(160);
  });

  it('lists what it can read when one run.json or one experiment.yaml is broken, naming the file', async () => {
    const scratch = join(repo, 'scratch-data');
    cpSync(join(repo, 'experiments'), scratch, { recursive: true });
    const runIds = readdirSync(join(scratch, 'demo', 'runs'));
    const broken = join(scratch, 'demo', 'runs', runIds[0]!, 'run.json');
    writeFileSync(broken, readFileSync(broken, 'utf8').slice(0, 100));
    mkdirSync(join(scratch, 'other'));
    writeFileSync(join(scratch, 'other', 'experiment.yaml'), 'name: other\nmetrics:\n  - { name: x, direction: up }\n');
    const all = await runCli(['ls', '--data', scratch], { cwd: repo });
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(new RegExp(`demo\\s+${runIds.length - 1}\\s+\\d{8}-`));
    expect(all.stdout).toMatch(/other\s+0\s+—\s+\(experiment\.yaml unreadable\)/);
    expect(all.stderr).toContain(`warning: ${broken}`);
    expect(all.stderr).toMatch(/warning: .*other.*experiment\.yaml.*direction/);
    const one = await runCli(['ls', 'demo', '--data', scratch], { cwd: repo });
    expect(one.code).toBe(0);
    expect(one.stdout.match(/^\d{8}-\d{6}-/gm)).toHaveLength(runIds.length - 1);
    expect(one.stderr).toContain(`warning: ${broken}`);
    rmSync(scratch, { recursive: true });
  });

  it('names the unknown run and the file and line of a broken trace', async () => {
    const missing = await runCli(['show', 'nope-nope'], { cwd: repo });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/run not found: nope-nope/);

    const runs = (await runCli(['ls', 'demo'], { cwd: repo })).stdout;
    const runId = /(\d{8}-\d{6}-baseline-[0-9a-f]{6})\s+baseline\s+completed/.exec(runs)![1]!;
    // Edit the sealed chunk as someone with a text editor and gzip would.
    const file = join(repo, 'experiments', 'demo', 'runs', runId, 'traces/00000.jsonl.gz');
    const lines = gunzipSync(readFileSync(file)).toString('utf8').split('\n');
    lines[1] = lines[1]!.replace('"AGENT"', '"ROBOT"');
    writeFileSync(file, gzipSync(lines.join('\n')));
    const result = await runCli(['validate'], { cwd: repo });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`error: ${file}:2: spans.0.type: Invalid option`);
    expect(result.stderr).toContain(`error: ${file}: does not match its SHA256SUMS entry`);
  });

  it('checks annotation files too, naming the file and line of an unknown run', async () => {
    const dir = join(repo, 'experiments', 'demo', 'annotations');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'zoe.yaml');
    writeFileSync(file, '- run: no-such-run\n  trace: t1\n  name: verdict\n  value: approved\n  author: zoe\n  at: 2026-11-27T10:00:00Z\n');
    const result = await runCli(['validate', join(repo, 'experiments', 'demo')], { cwd: repo });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/error: .*zoe\.yaml:1:\d+: .*no-such-run/);
  });

  it('checks review queues: readable, and naming a run of the experiment', async () => {
    const dir = join(repo, 'experiments', 'demo', 'queues');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'weekly.yaml'), 'run: no-such-run\nselect: { sample: { size: 5 } }\ncollect: { labels: [verdict] }\n');
    writeFileSync(join(dir, 'typo.yaml'), 'run: x\nselect: { fails: correct, disagree: true }\ncollect: { labels: [verdict] }\n');
    writeFileSync(join(dir, 'bad yaml.yaml'), 'run: [\n');
    const result = await runCli(['validate', join(repo, 'experiments', 'demo')], { cwd: repo });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/error: .*queues\/weekly\.yaml: run: no run no-such-run in experiment demo/);
    expect(result.stderr).toMatch(/error: .*queues\/typo\.yaml:2:\d+: select: names 2 ways \(fails, disagree\)/);
    expect(result.stderr).toMatch(/error: .*queues\/bad yaml\.yaml: "bad yaml" cannot name a queue/);
    rmSync(dir, { recursive: true });
  });

  it('refuses a queue the site could not use, naming every problem with its field and line', async () => {
    const demo = join(repo, 'experiments', 'demo');
    const experimentYaml = readFileSync(join(demo, 'experiment.yaml'), 'utf8');
    writeFileSync(
      join(demo, 'experiment.yaml'),
      `${experimentYaml}annotations:\n  labels: { verdict: [approved, wrong] }\n  metrics: { reviewer_score: { min: 0, max: 1 } }\n`,
    );
    // A sealed run with traces (the trials test's runs recorded none, and have no scores to name).
    const run = readdirSync(join(demo, 'runs')).find((id) => {
      const manifest = join(demo, 'runs', id, 'run.json');
      return existsSync(join(demo, 'runs', id, 'metrics.json')) && JSON.parse(readFileSync(manifest, 'utf8')).counts.traces > 0;
    })!;
    const dir = join(demo, 'queues');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'unusable.yaml'),
      `run: ${run}\nselect: { fails: nosuchscore }\ncollect: { labels: [nosuch], metrics: [verdict] }\nreviewers: [grace]\noverlap: 3\n`,
    );
    writeFileSync(join(dir, 'listed.yaml'), `run: ${run}\nselect:\n  traces: [tr-nope, t1]\ncollect: { labels: [verdict] }\n`);
    writeFileSync(join(dir, 'schema.yaml'), `run: ${run}\nselect: { traces: [] }\ncollect: { labels: [verdict], extra: 1 }\noverlap: 0\n`);
    try {
      const result = await runCli(['validate', demo], { cwd: repo });
      expect(result.code).toBe(1);
      const lines = result.stderr.split('\n');
      const about = (file: string) => lines.filter((line) => line.includes(`queues/${file}`));
      const unusable = about('unusable.yaml');
      expect(unusable).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/unusable\.yaml:3:\d+: collect\.labels\.0: "nosuch" is not declared under annotations\.labels/),
          expect.stringMatching(/unusable\.yaml:3:\d+: collect\.metrics\.0: "verdict" is declared as a label in experiment\.yaml/),
          expect.stringMatching(/unusable\.yaml:5:\d+: overlap: is 3 but the queue names 1 reviewer/),
          expect.stringMatching(
            /unusable\.yaml:2:\d+: select\.fails: run \S+ has no score "nosuchscore" \(its scores: "config", "correct"\)/,
          ),
        ]),
      );
      expect(unusable).toHaveLength(4);
      expect(about('listed.yaml')).toEqual([expect.stringMatching(/listed\.yaml:3:\d+: select\.traces\.0: no trace "tr-nope" in run/)]);
      // Every schema problem, not only the first, and the one way of selecting described as itself.
      const schema = about('schema.yaml').join('\n');
      expect(schema).toMatch(/schema\.yaml:2:\d+: select\.traces: /);
      expect(schema).toMatch(/schema\.yaml:3:\d+: collect: .*extra/);
      expect(schema).toMatch(/schema\.yaml:4:\d+: overlap: /);
      expect(schema).not.toMatch(/Invalid input/);
    } finally {
      writeFileSync(join(demo, 'experiment.yaml'), experimentYaml);
      rmSync(dir, { recursive: true });
    }
  });

  it('reads the data folder from labbook.config.yaml', async () => {
    writeFileSync(join(repo, 'labbook.config.yaml'), 'data: elsewhere\n');
    const ls = await runCli(['ls'], { cwd: join(repo, 'configs') });
    expect(ls.stdout).toMatch(/no experiments under .*elsewhere \("labbook init" makes one; --data reads another folder\)/);
    const validate = await runCli(['validate'], { cwd: repo });
    expect(validate.code).toBe(1);
    expect(validate.stderr).toMatch(
      /file not found: .*elsewhere \(no data folder there: "labbook init" makes one; --data reads another folder\)/,
    );
    // gc says it in the same words, not as a failed listing (ENOENT).
    const gc = await runCli(['gc'], { cwd: repo });
    expect(gc.code).toBe(1);
    expect(gc.stderr.trim()).toBe(
      `labbook gc: file not found: ${join(repo, 'elsewhere')} (no data folder there: "labbook init" makes one; --data reads another folder)`,
    );
    writeFileSync(join(repo, 'labbook.config.yaml'), 'data: experiments\n');
    const typo = await runCli(['ls', 'dmeo'], { cwd: repo });
    expect(typo.stderr).toMatch(/experiment not found: dmeo \(no .*experiment\.yaml; experiments: demo\)/);
  });

  it('prints help for the tool and each command', async () => {
    expect((await runCli(['--help'], { cwd: repo })).stdout).toMatch(/commands:\n {2}init .*\n {2}run /);
    expect((await runCli(['validate', '--help'], { cwd: repo })).stdout).toMatch(/^usage: labbook validate/);
    expect((await runCli(['frobnicate'], { cwd: repo })).stderr).toMatch(/unknown command "frobnicate"/);
  });
});
