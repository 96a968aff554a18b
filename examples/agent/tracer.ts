import type { SpanType } from '../../schemas/span.ts';

/**
 * The slice of the Labbook SDK's span API the agent uses. The agent depends on this interface,
 * not on the SDK, so tests can run it bare (with `noopTracer`) and `evaluate.ts` can pass the
 * SDK's `span` to record real traces.
 */
export interface SpanHandle {
  setInputs(inputs: unknown): void;
  setOutputs(outputs: unknown): void;
  setAttributes(attributes: Record<string, unknown>): void;
  setModel(model: string): void;
  setUsage(usage: { input: number; output: number; simulated?: boolean }): void;
  setCost(cost: { input?: number; output?: number; total: number }): void;
}

export type SpanFunction = <T>(name: string, type: SpanType, fn: (span: SpanHandle) => Promise<T>) => Promise<T>;

const ignore = (): void => {};
const noopHandle: SpanHandle = {
  setInputs: ignore,
  setOutputs: ignore,
  setAttributes: ignore,
  setModel: ignore,
  setUsage: ignore,
  setCost: ignore,
};

/** Runs each step without recording anything. */
export const noopTracer: SpanFunction = (_name, _type, fn) => fn(noopHandle);
