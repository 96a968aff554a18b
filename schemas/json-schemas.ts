import type { z } from 'zod';
import { z as z4 } from 'zod';
import { agentConfigSchema } from './agent-config.ts';
import { annotationFileSchema } from './annotation.ts';
import { deploymentSchema } from './deployment.ts';
import { evalPlanSchema } from './eval-plan.ts';
import { experimentSchema } from './experiment.ts';
import { runMetricsSchema } from './metrics.ts';
import { queueSchema } from './queue.ts';
import { runManifestSchema } from './run-manifest.ts';
import { spanSchema } from './span.ts';
import { traceSchema } from './trace.ts';

/** The schemas published as JSON Schema (`schemas/json/<name>.schema.json`) for other languages. */
const PUBLISHED_SCHEMAS: Record<string, z.ZodType> = {
  experiment: experimentSchema,
  'eval-plan': evalPlanSchema,
  'agent-config': agentConfigSchema,
  'run-manifest': runManifestSchema,
  trace: traceSchema,
  span: spanSchema,
  metrics: runMetricsSchema,
  annotations: annotationFileSchema,
  queue: queueSchema,
  deployment: deploymentSchema,
};

/** Renders every published schema as pretty JSON text, keyed by file name. */
export function renderJsonSchemas(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [name, schema] of Object.entries(PUBLISHED_SCHEMAS)) {
    const json = (z4.toJSONSchema as (s: z.ZodType, o: object) => object)(schema, {
      io: 'input',
      unrepresentable: 'any',
      target: 'draft-2020-12',
    });
    files[`${name}.schema.json`] =
      `${JSON.stringify({ $id: `https://labbook.dev/schemas/${name}.schema.json`, title: name, ...json }, null, 2)}\n`;
  }
  return files;
}
