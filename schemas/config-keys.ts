/**
 * The agent-config keys shown first, in this order, wherever a config is displayed or diffed.
 * Kept apart from the zod schema so browser bundles that only need the list do not pull in zod.
 */
export const RECOGNISED_CONFIG_KEYS = ['model', 'prompts', 'params'] as const;
