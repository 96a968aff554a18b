import { z } from 'zod';
import { digestSchema, isoTimeSchema, nameSchema } from './names.ts';

export const deploymentCheckSchema = z.object({
  name: z.string(),
  ok: z.boolean(),
  detail: z.string(),
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
  commit: z.string(),
  configPath: z.string(),
  configDigest: digestSchema,
  actor: z.string(),
  at: isoTimeSchema,
  workflowRunUrl: z.string().optional(),
  githubDeploymentId: z.number().int().optional(),
  outcome: z.enum(['success', 'failure']),
  checks: z.array(deploymentCheckSchema),
});
export type Deployment = z.infer<typeof deploymentSchema>;
