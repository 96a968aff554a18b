import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { runCli } from './run-cli.ts';

export const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' });
export const commitAll = (cwd: string, message: string) => {
  git(cwd, 'add', '-A');
  git(cwd, '-c', 'user.name=dev', '-c', 'user.email=dev@example.invalid', 'commit', '-q', '-m', message);
};

/**
 * An evaluation script in plain JavaScript (as a user's script in any language would be): 3
 * trials of 90 questions drawn from 15 documents; `accuracy` in the config sets how often a
 * trial is right, and a document's questions share its difficulty (so clusters matter).
 */
export const EVAL = `
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
const accuracy = Number(/accuracy:\\s*([0-9.]+)/.exec(readFileSync(process.env.LABBOOK_CONFIG, 'utf8'))[1]);
const trials = Number(process.env.LABBOOK_TRIALS ?? '1');
const hash = (t) => { let h = 0x811c9dc5; for (let i = 0; i < t.length; i++) { h ^= t.charCodeAt(i); h = Math.imul(h, 0x01000193); } return (h >>> 0) / 4294967296; };
for (let i = 1; i <= 90; i++) {
  const doc = 'doc' + (i % 15);
  for (let k = 1; k <= trials; k++) {
    const right = hash(doc + ':hard') * 0.4 + hash('q' + i + ':' + k) * 0.6 < accuracy;
    const trace = { id: 'q' + i + '-' + k, exampleId: 'q' + i, trial: k, input: { q: i }, output: right ? 'yes' : 'no',
      metadata: { document: doc }, start: 0, end: 10, durationMs: 10, scores: [{ name: 'correct', value: right }] };
    appendFileSync(join(process.env.LABBOOK_RUN_DIR, 'traces.jsonl'), JSON.stringify(trace) + '\\n');
  }
}
`;

/**
 * A git repository with experiment `qa` (experiment.yaml gives correct a margin of 0.5), a
 * committed plan.yaml (margin 0.08, cluster key metadata.document, 3 trials, sample size 60),
 * the evaluation script and two configs (accuracy 0.6 and 0.58).
 */
export function plannedRepository(root: string): { run: (config: string, name: string) => Promise<string> } {
  git(root, 'init', '-q', '-b', 'main');
  mkdirSync(join(root, 'experiments', 'qa'), { recursive: true });
  writeFileSync(
    join(root, 'experiments', 'qa', 'experiment.yaml'),
    'name: qa\nmetrics:\n  - name: correct\n    kind: boolean\n    margin: 0.5\n',
  );
  writeFileSync(
    join(root, 'experiments', 'qa', 'plan.yaml'),
    'metrics:\n  - name: correct\n    margin: 0.08\ncluster: metadata.document\ntrials: 3\nsampleSize: 60\n',
  );
  writeFileSync(join(root, 'eval.mjs'), EVAL);
  writeFileSync(join(root, 'base.yaml'), 'model: m\naccuracy: 0.6\n');
  writeFileSync(join(root, 'cand.yaml'), 'model: m\naccuracy: 0.58\n');
  commitAll(root, 'experiment, plan and agent');
  return {
    run: async (config: string, name: string) => {
      const r = await runCli(['run', '--experiment', 'qa', '--config', config, '--name', name, '--', process.execPath, 'eval.mjs'], {
        cwd: root,
      });
      expect(r.code, r.stderr).toBe(0);
      return /run (\S+) completed/.exec(r.stdout)![1]!;
    },
  };
}
