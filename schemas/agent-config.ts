import { z } from 'zod';

/**
 * An agent config (`config.yaml`) is any YAML mapping. `model`, `prompts` and `params` are
 * recognised and shown first; everything else is kept as written. The file itself is stored
 * verbatim next to the run, with its sha256 in `run.json`.
 */
export const agentConfigSchema = z
  .object({
    model: z.string().optional(),
    prompts: z.record(z.string(), z.unknown()).optional(),
    params: z.record(z.string(), z.unknown()).optional(),
  })
  .catchall(z.unknown());
export type AgentConfig = z.infer<typeof agentConfigSchema>;

export { RECOGNISED_CONFIG_KEYS } from './config-keys.ts';
