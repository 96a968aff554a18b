/**
 * Stand-ins for what a hosted model would report. Nothing here calls a model: token counts are
 * estimated from the text (about four characters per token, the usual rule of thumb for English),
 * and latency and cost follow from the tokens through fixed per-model rates, so the same text
 * always yields the same numbers.
 */

interface ModelProfile {
  /** Time to first token, in simulated milliseconds. */
  baseMs: number;
  msPerInputToken: number;
  msPerOutputToken: number;
  /** US dollars per million tokens. */
  inputPrice: number;
  outputPrice: number;
}

const PROFILES: Record<string, ModelProfile> = {
  'sim-mini': { baseMs: 120, msPerInputToken: 0.04, msPerOutputToken: 6, inputPrice: 0.15, outputPrice: 0.6 },
  'sim-large': { baseMs: 350, msPerInputToken: 0.12, msPerOutputToken: 18, inputPrice: 3, outputPrice: 15 },
};

/** Profiles are matched by prefix, so `sim-large-2025-01` uses `sim-large`; unknown names get `sim-mini`'s. */
function profileFor(model: string): ModelProfile {
  const key = Object.keys(PROFILES).find((prefix) => model.startsWith(prefix));
  return PROFILES[key ?? 'sim-mini']!;
}

export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / 4);
}

export interface SimulatedCall {
  usage: { input: number; output: number; total: number; simulated: true };
  latencyMs: number;
  cost: { input: number; output: number; total: number };
}

export function simulateCall(model: string, prompt: string, completion: string): SimulatedCall {
  const profile = profileFor(model);
  const input = estimateTokens(prompt);
  const output = estimateTokens(completion);
  const latencyMs = Math.round(profile.baseMs + input * profile.msPerInputToken + output * profile.msPerOutputToken);
  const costIn = dollars((input * profile.inputPrice) / 1e6);
  const costOut = dollars((output * profile.outputPrice) / 1e6);
  return {
    usage: { input, output, total: input + output, simulated: true },
    latencyMs,
    cost: { input: costIn, output: costOut, total: dollars(costIn + costOut) },
  };
}

/** Rounds to a billionth of a dollar so sums print without floating-point noise. */
function dollars(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}

/**
 * Waits a scaled-down share of the simulated latency (1/400, at most 3 ms) so traces have
 * realistic relative durations while the demo still runs in seconds.
 */
export function sleepFor(simulatedMs: number): Promise<void> {
  const ms = Math.min(3, Math.round(simulatedMs / 400));
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** mulberry32: a tiny seeded generator, so "sampling" is repeatable. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a, to turn a question into a seed. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
