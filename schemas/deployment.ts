import { z } from 'zod';
import { digestSchema, isoTimeSchema, nameSchema } from './names.ts';

export const deploymentCheckSchema = z.object({
  name: z.string(),
  ok: z.boolean(),
  detail: z.string(),
  /**
   * The check was not run because one it depends on failed (no workflow run to ask about, say).
   * A skipped check is never `ok`, so a reader that ignores this field still refuses the run.
   */
  skipped: z.boolean().optional(),
});
export type DeploymentCheck = z.infer<typeof deploymentCheckSchema>;

/**
 * `experiments/<experiment>/deployments/<id>.json`: one file per deployment attempt, so
 * recording one never rewrites another.
 */
export const deploymentSchema = z.object({
  schemaVersion: z.literal(1),
  id: nameSchema,
  environment: nameSchema,
  experiment: nameSchema,
  run: nameSchema,
  /** The run's code commit: what was (or would have been) deployed; empty when the run names none. */
  commit: z.string(),
  /** The run's stored `config.yaml`, relative to the repository root of the data branch. */
  configPath: z.string(),
  configDigest: digestSchema,
  actor: z.string(),
  at: isoTimeSchema,
  workflowRunUrl: z.string().optional(),
  githubDeploymentId: z.number().int().optional(),
  outcome: z.enum(['success', 'failure']),
  /** Why a `failure` failed, in words: the checks that refused the run, or the deploy command's exit. */
  reason: z.string().optional(),
  checks: z.array(deploymentCheckSchema),
});
export type Deployment = z.infer<typeof deploymentSchema>;
