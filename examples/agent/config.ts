import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { FileFormatError } from '../../src/errors/index.ts';
import { parseYamlMapping } from '../../src/store/yaml.ts';
import { describeZodIssue } from '../../src/json/zod-issue.ts';

/**
 * The demo agent's config: the `model`, `prompts` and `params` sections Labbook recognises in
 * any `config.yaml`. Everything has a default so a config only states what it changes.
 */
export const demoConfigSchema = z.object({
  model: z.string().min(1).default('sim-mini'),
  prompts: z
    .object({
      /** Renders the final answer; `{{ answer }}` and `{{ question }}` are replaced. */
      answer: z.string().default('{{ answer }}'),
    })
    .prefault({}),
  params: z
    .object({
      /** The model name reported for the routing call; defaults to `model`. */
      router_model: z.string().min(1).optional(),
      tools: z.array(z.enum(['calculator', 'lookup'])).default(['calculator']),
      /** How many passages the retriever hands to the answer step. */
      top_k: z.number().int().min(1).max(50).default(3),
      /** `extractive` always retrieves and quotes; `tool-first` answers from a tool alone when one applies. */
      strategy: z.enum(['extractive', 'tool-first']).default('extractive'),
      /** `concise` gives the best sentence; `verbose` adds the runner-up as support. */
      style: z.enum(['concise', 'verbose']).default('concise'),
      /** 0 is greedy; higher values add seeded noise to sentence selection, like sampling. */
      temperature: z.number().min(0).max(2).default(0),
      seed: z.number().int().default(0),
      bm25: z.object({ k1: z.number().min(0).default(1.2), b: z.number().min(0).max(1).default(0.75) }).prefault({}),
    })
    .prefault({}),
});
export type DemoConfig = z.infer<typeof demoConfigSchema>;

/** Validates a parsed config object; `file` names the source in the error message. */
export function parseDemoConfig(value: unknown, file = 'config'): DemoConfig {
  const result = demoConfigSchema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new FileFormatError({ file, field: issue.path.join('.') || undefined }, describeZodIssue(issue, value));
}

export function loadDemoConfig(file: string): DemoConfig {
  return parseDemoConfig(parseYamlMapping(readFileSync(file, 'utf8'), file), file);
}
