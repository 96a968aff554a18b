// Issue 5's figure: the action's overhead around the user's command for a 10,000-trace run —
// ingest, validate, aggregate, compare with a baseline, commit and push — goal under 10 s on
// 2 cores. The bundled action runs as the runner runs it (node action/dist/index.js, INPUT_*
// and GITHUB_* variables) against a bare git remote on disk, ingesting a traces file so that no
// user command is in the measured time. A phase breakdown is measured in-process beside it.
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkTracesFile, ingestTracesFile } from '../action/src/evaluate/ingest-traces.ts';
import { compareWithBaseline } from '../action/src/compare-with-baseline.ts';
import { DataBranch } from '../src/git/data-branch.ts';
import { finishRun } from '../src/store/finish-run.ts';
import { readRunManifest } from '../src/store/run-reader.ts';
import { createRun } from '../src/store/run-writer.ts';
import { createTestRepo, runAction } from '../test/action/harness.ts';
import { writeTraceLines } from './generators/trace-lines.ts';

export async function benchAction(options: { quick?: boolean } = {}): Promise<Record<string, string | number>> {
  const traces = options.quick ? 2_000 : 10_000;
  const spans = 10;
  const repo = await createTestRepo('labbook-bench-action-');
  try {
    const bytes = await writeTraceLines(join(repo.workspace, 'traces.jsonl'), traces, spans);
    const inputs = { experiment: 'bench', config: 'configs/baseline.yaml', traces: 'traces.jsonl' };

    const timed = async () => {
      const started = performance.now();
      const run = await runAction({ repo, inputs });
      if (run.code !== 0) throw new Error(`the action failed:\n${run.stdout}\n${run.stderr}`);
      return { ms: performance.now() - started, run };
    };
    const first = await timed(); // no baseline yet
    const second = await timed(); // compared with the first, paired on 10,000 examples

    const phases = await measurePhases(repo.remote, join(repo.workspace, 'traces.jsonl'), second.run.outputs['run-dir']!);
    return {
      traces,
      'spans per trace': spans,
      'traces file (MB)': (bytes / 1e6).toFixed(1),
      'action, first run: total s (goal < 10)': (first.ms / 1000).toFixed(2),
      'action, with a baseline to compare: total s (goal < 10)': (second.ms / 1000).toFixed(2),
      'phase: check every line (s)': phases.check,
      'phase: seal = validate + aggregate + SHA256SUMS (s)': phases.seal,
      'phase: compare with the baseline (s)': phases.compare,
      'phase: fetch data branch, commit, push (s)': phases.push,
      'run folder pushed (MB)': (phases.runBytes / 1e6).toFixed(1),
    };
  } finally {
    await rm(repo.root, { recursive: true, force: true });
  }
}

/** The same work as the action, step by step, in this process. */
async function measurePhases(remote: string, tracesFile: string, baselineDir: string) {
  const dir = await mkdtemp(join(tmpdir(), 'labbook-bench-phases-'));
  try {
    const config = join(dir, 'baseline.yaml');
    await writeFile(config, 'model: sim-1\n');
    const seconds = (ms: number) => (ms / 1000).toFixed(2);
    let t = performance.now();
    const check = await checkTracesFile(tracesFile);
    if (check.kind !== 'valid') throw new Error('generated traces are invalid');
    const checkMs = performance.now() - t;

    const source = { kind: 'local' as const, host: 'bench', user: 'bench' };
    const { dir: runDir, manifest } = await createRun({
      dataDir: join(dir, 'experiments'),
      experiment: 'bench',
      configPath: config,
      source,
      code: { commit: null, branch: null, dirty: false },
    });
    t = performance.now();
    await ingestTracesFile(tracesFile, runDir);
    const sealed = await finishRun(runDir);
    const sealMs = performance.now() - t;

    t = performance.now();
    await compareWithBaseline(
      { dir: baselineDir, manifest: await readRunManifest(baselineDir) },
      { dir: runDir, manifest: sealed.manifest },
    );
    const compareMs = performance.now() - t;

    t = performance.now();
    const data = await DataBranch.open({
      remoteUrl: remote,
      branch: 'bench-phases',
      dir: join(dir, 'checkout'),
      committer: { name: 'bench', email: 'bench@example.invalid' },
    });
    await data.commit({ folders: [{ from: runDir, to: `experiments/bench/runs/${manifest.id}` }], filesIfMissing: [], message: 'bench' });
    const pushed = await data.push({ attempts: 1, backoff: { baseMs: 1, maxMs: 1 } });
    if (pushed.kind !== 'pushed') throw new Error(`push failed: ${pushed.reason}`);
    const pushMs = performance.now() - t;
    await data.dispose();

    let runBytes = 0;
    for (const file of await readdir(runDir)) runBytes += (await stat(join(runDir, file))).size;
    return { check: seconds(checkMs), seal: seconds(sealMs), compare: seconds(compareMs), push: seconds(pushMs), runBytes };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
