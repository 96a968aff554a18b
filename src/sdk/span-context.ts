import { AsyncLocalStorage } from 'node:async_hooks';
import { SPAN_TYPES, type SpanType } from '../../schemas/span.ts';
import { UsageError } from '../errors/index.ts';
import { nowMs } from './clock.ts';
import { recordSpanError, SpanHandle, type SpanRecord } from './span-handle.ts';
import { clip } from './text.ts';

/** The spans of one trace, collected in memory and written with the trace when it ends. */
export class TraceState {
  readonly spans: SpanRecord[] = [];
  #nextId = 0;

  /**
   * `owner`: the run recording this trace, so a `run.trace()` nested in it can be recognised;
   * `startedBy`: whether `run.map()` or `run.trace()` opened it (for that error's advice).
   */
  constructor(
    readonly owner: object | undefined = undefined,
    readonly exampleId: string = '',
    readonly startedBy: 'map' | 'trace' = 'trace',
  ) {}

  openSpan(name: string, type: SpanType, parentId: string | null): SpanRecord {
    const record: SpanRecord = { id: `s${++this.#nextId}`, parentId, name, type, start: nowMs(), status: 'unset' };
    this.spans.push(record);
    return record;
  }

  /**
   * Closes spans still open when the trace ends (a call that was not awaited): they end with
   * the trace and say why, instead of leaving a span without an end.
   */
  closeOpenSpans(end: number): void {
    for (const record of this.spans) {
      if (record.end !== undefined) continue;
      record.end = end;
      record.status = 'error';
      record.error = 'still running when its trace ended (a span that was not awaited?)';
    }
  }
}

interface SpanContext {
  trace: TraceState;
  span: SpanHandle | null;
  record: SpanRecord | null;
}

/**
 * One AsyncLocalStorage per process even if this module is loaded twice (through `labbook/sdk`
 * and a relative path, say): two copies would each see only their own spans and nesting would break.
 */
const STORAGE_KEY = Symbol.for('labbook.sdk.span-context');
const storage: AsyncLocalStorage<SpanContext> = ((globalThis as Record<symbol, unknown>)[STORAGE_KEY] ??=
  new AsyncLocalStorage<SpanContext>()) as AsyncLocalStorage<SpanContext>;

const SPAN_TYPE_SET: ReadonlySet<string> = new Set(SPAN_TYPES);

/**
 * Records `fn` as a span of the current trace, a child of the current span. The span ends when
 * `fn` returns or, if it returns a promise, when that settles; an error thrown or rejected is
 * recorded on the span and rethrown. Outside a trace, `fn` runs with a handle that records
 * nothing, so agent code can be instrumented once and run anywhere.
 */
export function span<T>(name: string, type: SpanType, fn: (span: SpanHandle) => T): T {
  const context = storage.getStore();
  if (!context) return fn(detachedHandle(name, type));
  return runSpan(context.trace, context.record, name, type, fn);
}

/** The span the caller is running in, or undefined outside any span. */
export function currentSpan(): SpanHandle | undefined {
  return storage.getStore()?.span ?? undefined;
}

/** The trace whose body the caller runs in, or undefined outside any trace. */
export function currentTrace(): TraceState | undefined {
  return storage.getStore()?.trace;
}

/** Runs the body of a trace: spans opened inside become top-level spans of `trace`. */
export function runInTrace<T>(trace: TraceState, fn: () => T): T {
  return storage.run({ trace, span: null, record: null }, fn);
}

/** Runs `fn` outside any trace (evaluators: their calls are not part of the agent's work). */
export function runOutsideTraces<T>(fn: () => T): T {
  return storage.exit(fn);
}

/**
 * A span of `trace` under the current span when the caller runs inside that trace, else at the
 * top of it: `t.span()` called from a callback that lost the async context still lands in its trace.
 */
export function spanInTrace<T>(trace: TraceState, name: string, type: SpanType, fn: (span: SpanHandle) => T): T {
  const context = storage.getStore();
  return runSpan(trace, context?.trace === trace ? context.record : null, name, type, fn);
}

function runSpan<T>(trace: TraceState, parent: SpanRecord | null, name: string, type: SpanType, fn: (span: SpanHandle) => T): T {
  checkSpanArguments(name, type, fn);
  const record = trace.openSpan(clip(name, 1000), type, parent ? parent.id : null);
  const handle = new SpanHandle(record);
  let result: T;
  try {
    result = storage.run({ trace, span: handle, record }, fn, handle);
  } catch (error) {
    endSpan(record, error, true);
    throw error;
  }
  if (isThenable(result)) {
    return Promise.resolve(result).then(
      (value) => {
        endSpan(record, undefined, false);
        return value;
      },
      (error: unknown) => {
        endSpan(record, error, true);
        throw error;
      },
    ) as T;
  }
  endSpan(record, undefined, false);
  return result;
}

function endSpan(record: SpanRecord, error: unknown, failed: boolean): void {
  if (record.end !== undefined) return;
  record.end = nowMs();
  if (failed) recordSpanError(record, error);
  else if (record.status === 'unset') record.status = 'ok';
}

function checkSpanArguments(name: unknown, type: unknown, fn: unknown): void {
  if (typeof name !== 'string' || name === '') throw new UsageError(`span() expects a name, got ${String(name)}`);
  if (typeof type !== 'string' || !SPAN_TYPE_SET.has(type)) {
    throw new UsageError(`span "${name}": unknown span type ${JSON.stringify(type)}; expected one of ${SPAN_TYPES.join(', ')}`);
  }
  if (typeof fn !== 'function') throw new UsageError(`span "${name}": expected a function as the third argument`);
}

function detachedHandle(name: string, type: SpanType): SpanHandle {
  checkSpanArguments(name, type, () => {});
  return new SpanHandle({ id: 'detached', parentId: null, name, type, start: nowMs(), status: 'unset' });
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function'
  );
}
