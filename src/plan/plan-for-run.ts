import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import type { EvalPlan } from '../../schemas/eval-plan.ts';
import { planFile } from '../store/layout.ts';
import { parsePlan } from './parse-plan.ts';

const run = promisify(execFile);

/** The plan a new run records: its text, where it lives, and whether it is the committed one. */
interface PlanForRun {
  /** Relative to the repository root when inside it. */
  path: string;
  text: string;
  plan: EvalPlan;
  /** True when the text is the file as committed at the run's commit. */
  committed: boolean;
  /** Why the plan is not the committed one (for the runner to print), or null. */
  notice: string | null;
}

/**
 * Reads `<data>/<experiment>/plan.yaml` as committed at `commit` (what "the plan was fixed
 * before the results" means): a run made from a working tree whose plan.yaml differs from
 * the commit records the committed plan and says so; a plan that is not committed at all is
 * recorded from the working tree with `committed: false`. No plan file: null. The plan is
 * parsed before anything is recorded, so an invalid plan stops the run with the file and line.
 */
export async function findPlanForRun(options: {
  dataDir: string;
  experiment: string;
  rootDir: string;
  commit: string | null;
}): Promise<PlanForRun | null> {
  const file = resolve(planFile(options.dataDir, options.experiment));
  const root = resolve(options.rootDir);
  const rel = relative(root, file);
  const inRepo = !rel.startsWith('..') && rel !== '';
  const path = inRepo ? rel.split(sep).join('/') : file;
  const working = existsSync(file) ? await readFile(file, 'utf8') : null;
  const committedText = inRepo && options.commit ? await showAtCommit(root, options.commit, path) : null;
  if (committedText !== null) {
    const plan = parsePlan(committedText, `${path} (at ${options.commit!.slice(0, 7)})`);
    const notice =
      working === null
        ? `${path} is deleted in the working tree: the run records the plan committed at ${options.commit!.slice(0, 7)}`
        : working !== committedText
          ? `${path} has uncommitted changes: the run records the plan committed at ${options.commit!.slice(0, 7)}; commit the plan to use it`
          : null;
    return { path, text: committedText, plan, committed: true, notice };
  }
  if (working === null) return null;
  return {
    path,
    text: working,
    plan: parsePlan(working, path),
    committed: false,
    notice: `${path} is not committed: the run records it, marked uncommitted, and comparisons will say so`,
  };
}

async function showAtCommit(root: string, commit: string, path: string): Promise<string | null> {
  try {
    const { stdout } = await run('git', ['show', `${commit}:${path}`], { cwd: root, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' });
    return stdout;
  } catch {
    return null; // not in that commit (or not a repository)
  }
}
