import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunManifest } from '../../schemas/run-manifest.ts';
import { FileFormatError } from '../errors/index.ts';
import { sha256Hex, toDigest } from '../store/digest.ts';
import { RUN_FILES } from '../store/layout.ts';
import { parsePlan } from './parse-plan.ts';
import type { RecordedPlan } from './plan-context.ts';

/**
 * The plan a run recorded (its `plan.yaml`), checked against the digest in run.json so a plan
 * edited after the run cannot pass for the one it ran under. Null when the run recorded none.
 */
export async function readRecordedPlan(dir: string, manifest: RunManifest): Promise<RecordedPlan | null> {
  if (!manifest.plan) return null;
  const file = join(dir, RUN_FILES.plan);
  if (!existsSync(file))
    throw new FileFormatError(
      { file: join(dir, RUN_FILES.manifest), field: 'plan' },
      `names a plan (${manifest.plan.digest}) but the run has no ${RUN_FILES.plan}`,
    );
  const text = await readFile(file, 'utf8');
  const digest = toDigest(sha256Hex(text));
  if (digest !== manifest.plan.digest) {
    throw new FileFormatError(
      { file },
      `its digest ${digest} is not the ${manifest.plan.digest} run.json recorded: the plan was changed after the run`,
    );
  }
  return { plan: parsePlan(text, file), digest, path: manifest.plan.path, committed: manifest.plan.committed };
}
