import { truncate } from './preview.ts';

/**
 * A one-line summary of an agent config for the runs table: the model and up to `maxParams`
 * scalar parameters (`params.*`, else top-level scalars), e.g. `gpt-4o · temperature=0.2 · top_k=5`.
 */
export function configSummary(config: Record<string, unknown> | null, maxParams = 3): string {
  if (!config) return '';
  const parts: string[] = [];
  if (typeof config.model === 'string') parts.push(truncate(config.model, 40));
  const params =
    config.params && typeof config.params === 'object' && !Array.isArray(config.params)
      ? (config.params as Record<string, unknown>)
      : config;
  let shown = 0;
  for (const [key, value] of Object.entries(params)) {
    if (shown === maxParams) break;
    if (params === config && (key === 'model' || key === 'prompts')) continue;
    if (typeof value === 'number' || typeof value === 'boolean' || (typeof value === 'string' && value.length <= 24)) {
      parts.push(`${truncate(key, 24)}=${String(value)}`);
      shown++;
    }
  }
  return parts.join(' · ');
}
