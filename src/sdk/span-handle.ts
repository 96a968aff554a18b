import type { Cost, SpanEvent, SpanType, Status, TokenUsage } from '../../schemas/span.ts';
import { UsageError } from '../errors/index.ts';
import { nowMs } from './clock.ts';
import { clip, describeError, describeValue } from './text.ts';

/** A span while it is being recorded; becomes a line's `spans[]` entry when its trace ends. */
export interface SpanRecord {
  id: string;
  parentId: string | null;
  name: string;
  type: SpanType;
  start: number;
  end?: number;
  status: Status;
  error?: string;
  inputs?: unknown;
  outputs?: unknown;
  attributes?: Record<string, unknown>;
  events?: SpanEvent[];
  model?: string;
  usage?: TokenUsage;
  cost?: Cost;
}

export interface UsageInput {
  input: number;
  output: number;
  /** Defaults to input + output. */
  total?: number;
  cached?: number;
  /** True when the counts were estimated from text rather than reported by a provider. */
  simulated?: boolean;
}

/** Errors whose stack is already on a span: the spans it passes through on its way out only record the message. */
const recordedErrors = new WeakSet<object>();

/**
 * What the function given to `span()` receives to describe its work. Every setter returns the
 * handle, so calls chain. Arguments that the trace schema would reject (negative token counts,
 * a cost that is not a number) throw a UsageError at the call, where the mistake is.
 */
export class SpanHandle {
  readonly #record: SpanRecord;

  constructor(record: SpanRecord) {
    this.#record = record;
  }

  /** Unique within its trace. */
  get id(): string {
    return this.#record.id;
  }

  get name(): string {
    return this.#record.name;
  }

  /** Kept by reference and serialised when the trace is written: copy a value you will mutate later. */
  setInputs(inputs: unknown): this {
    this.#record.inputs = inputs;
    return this;
  }

  setOutputs(outputs: unknown): this {
    this.#record.outputs = outputs;
    return this;
  }

  setModel(model: string): this {
    if (typeof model !== 'string' || model === '') throw new UsageError(`setModel expects a model name, got ${describeValue(model)}`);
    this.#record.model = clip(model, 500);
    return this;
  }

  setUsage(usage: UsageInput): this {
    const input = count('usage.input', usage?.input);
    const output = count('usage.output', usage?.output);
    const total = usage.total === undefined ? input + output : count('usage.total', usage.total);
    const recorded: TokenUsage = { input, output, total };
    if (usage.cached !== undefined) recorded.cached = count('usage.cached', usage.cached);
    if (usage.simulated !== undefined) recorded.simulated = Boolean(usage.simulated);
    this.#record.usage = recorded;
    return this;
  }

  /** Cost in US dollars. */
  setCost(cost: Cost): this {
    const recorded: Cost = { total: count('cost.total', cost?.total) };
    if (cost.input !== undefined) recorded.input = count('cost.input', cost.input);
    if (cost.output !== undefined) recorded.output = count('cost.output', cost.output);
    this.#record.cost = recorded;
    return this;
  }

  /** Merges into the span's attributes; later values win. */
  setAttributes(attributes: Record<string, unknown>): this {
    if (attributes === null || typeof attributes !== 'object' || Array.isArray(attributes)) {
      throw new UsageError(`setAttributes expects an object, got ${describeValue(attributes)}`);
    }
    this.#record.attributes = this.#record.attributes ? Object.assign(this.#record.attributes, attributes) : { ...attributes };
    return this;
  }

  addEvent(name: string, attributes?: Record<string, unknown>): this {
    const event: SpanEvent = { name: clip(String(name), 1000), time: nowMs() };
    if (attributes !== undefined) event.attributes = attributes;
    (this.#record.events ??= []).push(event);
    return this;
  }

  /** `error` with a message marks the span failed without throwing; `ok` clears a failure. */
  setStatus(status: Status, message?: string): this {
    if (status !== 'ok' && status !== 'error' && status !== 'unset') {
      throw new UsageError(`setStatus expects "ok", "error" or "unset", got ${describeValue(status)}`);
    }
    this.#record.status = status;
    if (status === 'error') {
      if (message !== undefined) this.#record.error = clip(String(message), 100_000);
    } else {
      delete this.#record.error;
    }
    return this;
  }

  /** Records an error on the span (status, message and, once per error, an `exception` event with the stack). */
  setError(error: unknown): this {
    recordSpanError(this.#record, error);
    return this;
  }
}

export function recordSpanError(record: SpanRecord, error: unknown): void {
  record.status = 'error';
  record.error = clip(describeError(error), 100_000);
  if (error instanceof Error && !recordedErrors.has(error)) {
    recordedErrors.add(error);
    const attributes: Record<string, unknown> = { 'exception.type': error.name, 'exception.message': error.message };
    if (error.stack) attributes['exception.stacktrace'] = clip(error.stack, 20_000);
    (record.events ??= []).push({ name: 'exception', time: nowMs(), attributes });
  }
}

function count(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new UsageError(`${field} must be a finite number of at least 0, got ${describeValue(value)}`);
  }
  return value;
}
