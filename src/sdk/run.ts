import { AsyncLocalStorage } from 'node:async_hooks';
import type { Trace, TraceInput } from '../../schemas/trace.ts';
import { FinishInsideTraceError, UsageError } from '../errors/index.ts';
import { finishRun, type FinishRunResult } from '../store/finish-run.ts';
import type { TraceWriter } from '../store/trace-writer.ts';
import { appendTrace } from './append-trace.ts';
import { checkOptions } from './check-options.ts';
import { installCrashGuard } from './crash-guard.ts';
import { exampleIdOf, type Example } from './example.ts';
import { runPool } from './pool.ts';
import { recordTrace, type TracedFunction, type TraceOptions } from './record-trace.ts';
import { RepeatedExamples } from './repeated-examples.ts';
import { inShard, type Shard } from './shard.ts';
import type { TraceHandle } from './trace-handle.ts';
import { describeValue } from './text.ts';
import { countNoun } from '../text/count-noun.ts';

/** The `run.map` call the caller runs inside, if any (its token in `#maps`). */
const insideMap = new AsyncLocalStorage<object>();

/**
 * The trace being recorded that the caller runs inside, if any: its traced function, the spans
 * and callbacks it starts, its evaluators. `settled` turns true when the trace is written, so a
 * timer the function left behind may still finish the run later.
 */
interface Recording {
  run: Run;
  example: unknown;
  settled: boolean;
}
const insideRecording = new AsyncLocalStorage<Recording>();

/** The options each method takes, by name (see check-options.ts: a misspelt one is refused). */
const TRACE_OPTIONS = ['evaluators', 'id', 'tags', 'metadata', 'trial'] as const satisfies ReadonlyArray<keyof TraceOptions>;
const MAP_OPTIONS = ['evaluators', 'tags', 'metadata', 'trials', 'concurrency', 'onTrace'] as const satisfies ReadonlyArray<
  keyof MapOptions<Example>
>;
const FINISH_OPTIONS = ['status', 'statusReason'] as const satisfies ReadonlyArray<keyof FinishOptions>;

/** The options of `run.trace`, minus `id` (each trace gets its own), plus these. */
export interface MapOptions<E> extends Omit<TraceOptions, 'id' | 'trial'> {
  /**
   * How many times each example is evaluated (default: LABBOOK_TRIALS, set by `labbook run
   * --trials K`, else 1). With K > 1 each evaluation is its own trace with \`trial\` 1..K, and
   * compare pairs runs on the examples' means over their trials.
   */
  trials?: number;
  /** How many examples run at once (default 1). */
  concurrency?: number;
  /** Called as each trace is written, in completion order (progress, say). */
  onTrace?: (trace: Trace, example: E) => void;
}

export interface FinishOptions {
  /** Only for a run the SDK created: the status to seal it with (default `completed`). */
  status?: 'completed' | 'failed' | 'partial';
  statusReason?: string;
}

interface RunFields {
  id: string;
  dir: string;
  experiment: string;
  config: Record<string, unknown>;
  configPath: string;
  datasetPath: string | undefined;
  shard: Shard | undefined;
  /** Default trials per example for `map` (LABBOOK_TRIALS); 1 when unset. */
  trials?: number;
  /** `joined`: prepared by `labbook run` or the action, which seal it; `standalone`: made and sealed here. */
  mode: 'joined' | 'standalone';
}

/**
 * An evaluation run being filled. Traces are appended to `traces.jsonl` as each finishes, so a
 * crash keeps every finished one. `finish()` waits for the traces in flight, closes the file and,
 * when the SDK created the run, seals it (metrics.json, counts, SHA256SUMS).
 */
export class Run implements RunFields {
  readonly id: string;
  readonly dir: string;
  readonly experiment: string;
  /** The agent config (config.yaml) as a mapping. */
  readonly config: Record<string, unknown>;
  readonly configPath: string;
  readonly datasetPath: string | undefined;
  readonly shard: Shard | undefined;
  readonly mode: 'joined' | 'standalone';
  readonly trials: number;
  readonly #writer: TraceWriter;
  readonly #pending = new Set<Promise<unknown>>();
  /** `run.map` calls not settled yet: `finish()` waits for them, even when the script forgot to await one. */
  readonly #maps = new Map<Promise<unknown>, object>();
  /**
   * Trace ids given with `run.trace(…, { id })` or appended: a second trace with one is refused
   * at the call, not dropped when the run is sealed (which would fail it). The SDK's own random
   * ids are not kept, so memory grows only with the traces given an id.
   */
  readonly #givenIds = new Set<string>();
  #closed = false;
  #finishing: Promise<FinishRunResult | null> | null = null;
  #sealing: Promise<FinishRunResult> | null = null;
  #disposeGuard: (() => void) | null = null;
  readonly #beforeFinish: Array<() => Promise<void>> = [];

  /** `guard`: for a standalone run, seal it on SIGINT, SIGTERM or an uncaught exception (see crash-guard.ts). */
  constructor(fields: RunFields, writer: TraceWriter, options: { guard?: boolean } = {}) {
    this.id = fields.id;
    this.dir = fields.dir;
    this.experiment = fields.experiment;
    this.config = fields.config;
    this.configPath = fields.configPath;
    this.datasetPath = fields.datasetPath;
    this.shard = fields.shard;
    this.mode = fields.mode;
    this.trials = fields.trials ?? 1;
    this.#writer = writer;
    if (this.mode === 'standalone' && options.guard !== false) {
      this.#disposeGuard = installCrashGuard((status, reason) => this.#seal(status, reason), this.id);
    }
  }

  /** Traces written so far by this process. */
  get traceCount(): number {
    return this.#writer.count;
  }

  /**
   * Runs one example through `fn` and appends its trace; resolves to the trace as written.
   * An error in `fn` is recorded (status `error`), never thrown; only API misuse rejects.
   */
  trace<E extends Example, Output>(
    example: E,
    fn: TracedFunction<E['input'], E['expected'], Output>,
    options: TraceOptions = {},
  ): Promise<Trace> {
    try {
      checkOptions(options, TRACE_OPTIONS, 'run.trace()');
      checkFunction(fn, 'run.trace(example, fn)');
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#record(example, fn, options, 'trace');
  }

  #record<E extends Example, Output>(
    example: E,
    fn: TracedFunction<E['input'], E['expected'], Output>,
    options: TraceOptions,
    startedBy: 'map' | 'trace',
  ): Promise<Trace> {
    if (this.#closed) return Promise.reject(new UsageError(`run ${this.id} is finished: no more traces can be added`));
    if (typeof options.id === 'string') {
      if (this.#givenIds.has(options.id)) {
        return Promise.reject(
          new UsageError(`run.trace(): trace id ${JSON.stringify(options.id)} is already used in run ${this.id}; trace ids must be unique`),
        );
      }
      this.#givenIds.add(options.id);
    }
    const caller: Recording = { run: this, example, settled: false };
    const recording = insideRecording.run(caller, () =>
      recordTrace(example, fn, options, (trace) => appendTrace(this.#writer, trace), { run: this, startedBy }),
    );
    this.#pending.add(recording);
    const forget = () => {
      caller.settled = true;
      this.#pending.delete(recording);
    };
    // A call refused for misuse wrote nothing: its id is free for the corrected call.
    recording.then(forget, () => {
      forget();
      if (typeof options.id === 'string') this.#givenIds.delete(options.id);
    });
    return recording;
  }

  /**
   * Appends a trace recorded elsewhere (the OpenTelemetry exporter, a converter), checked
   * against the trace schema like the SDK's own; returns it as written.
   */
  append(trace: TraceInput): Trace {
    if (this.#closed) throw new UsageError(`run ${this.id} is finished: no more traces can be added`);
    if (trace === null || typeof trace !== 'object' || Array.isArray(trace)) {
      throw new UsageError(`run.append() expects a trace object, got ${describeValue(trace)}`);
    }
    if (typeof trace.id === 'string' && this.#givenIds.has(trace.id)) {
      throw new UsageError(
        `run.append(): trace id ${JSON.stringify(trace.id)} is already used in run ${this.id}; trace ids must be unique`,
      );
    }
    const written = appendTrace(this.#writer, trace);
    this.#givenIds.add(written.id);
    return written;
  }

  /**
   * Registers work that must happen before the run closes (an exporter handing over the traces
   * it still holds). Hooks run at the start of `finish()`, in order; one that fails does not
   * stop the others or the finish.
   */
  beforeFinish(hook: () => Promise<void>): void {
    checkFunction(hook, 'run.beforeFinish(hook)');
    this.#beforeFinish.push(hook);
  }

  /** Whether an example belongs to this run's shard (always, without sharding). */
  inShard(example: { id?: unknown; input?: unknown }): boolean {
    if (example === null || typeof example !== 'object') {
      throw new UsageError(`run.inShard() expects an example ({ id?, input }), got ${describeValue(example)}`);
    }
    return inShard(exampleIdOf(example), this.shard);
  }

  /**
   * Traces every example of this run's shard through `fn(example, trace)`, `concurrency` at a
   * time, and resolves to their traces in the examples' order. Examples of other shards are
   * skipped. Errors in `fn` are recorded in the traces; only API misuse rejects, such as
   * calling `run.trace()` inside `fn` (the example is already being traced: use `fn`'s handle).
   */
  map<E extends Example, Output>(
    examples: Iterable<E> | AsyncIterable<E>,
    fn: (example: E, trace: TraceHandle<E['input'], E['expected']>) => Output | Promise<Output>,
    options: MapOptions<E> = {},
  ): Promise<Trace[]> {
    if (this.#closed) return Promise.reject(new UsageError(`run ${this.id} is finished: no more traces can be added`));
    const token = {};
    const mapping = insideMap.run(token, () => this.#map(examples, fn, options));
    this.#maps.set(mapping, token);
    const forget = () => this.#maps.delete(mapping);
    mapping.then(forget, forget);
    return mapping;
  }

  async #map<E extends Example, Output>(
    examples: Iterable<E> | AsyncIterable<E>,
    fn: (example: E, trace: TraceHandle<E['input'], E['expected']>) => Output | Promise<Output>,
    options: MapOptions<E>,
  ): Promise<Trace[]> {
    checkOptions(options, MAP_OPTIONS, 'run.map()');
    if (!isIterable(examples)) {
      throw new UsageError(
        `run.map() expects an array, an iterable or an async iterable of examples, got ${isThenable(examples) ? 'a promise (missing await?)' : describeValue(examples)}`,
      );
    }
    checkFunction(fn, 'run.map(examples, fn)');
    if (options.onTrace !== undefined) checkFunction(options.onTrace, 'run.map(): onTrace');
    const { concurrency = 1, onTrace, trials = this.trials, ...traceOptions } = options;
    if (!(Number.isInteger(trials) && trials >= 1 && trials <= 10_000)) {
      throw new UsageError(`run.map(): trials must be a whole number from 1 to 10000, got ${describeValue(trials)}`);
    }
    const traces: Array<Trace | undefined> = [];
    const repeats = new RepeatedExamples();
    const items = trials === 1 ? examples : repeatEach(examples, trials);
    await runPool(items as Iterable<E | Repeated<E>> | AsyncIterable<E | Repeated<E>>, concurrency, async (item, index) => {
      const [example, trial] = trials === 1 ? [item as E, undefined] : [(item as Repeated<E>).example, (item as Repeated<E>).trial];
      if (!this.#exampleInShard(example, Math.floor(index / trials) + 1)) return;
      const options = trial === undefined ? traceOptions : { ...traceOptions, trial };
      const trace = await this.#record(example, (handle) => fn(example, handle as TraceHandle<E['input'], E['expected']>), options, 'map');
      traces[index] = trace;
      repeats.see(trace);
      onTrace?.(trace, example);
    });
    repeats.warn();
    return traces.filter((trace): trace is Trace => trace !== undefined);
  }

  /**
   * Whether run.map takes an example, which must be one (an object with `input`, and a usable
   * id): a dataset line that is not one is named by its place among the examples (the line of a
   * JSON Lines file read whole, blank lines aside), not as a bare run.trace() error.
   */
  #exampleInShard(example: unknown, position: number): boolean {
    try {
      if (example === null || typeof example !== 'object' || Array.isArray(example))
        throw new UsageError(`it is ${describeValue(example)}, not an example ({ id?, input, expected? })`);
      if (!('input' in example)) throw new UsageError('it has no "input" field (an example is { id?, input, expected? })');
      return this.inShard(example);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      throw new UsageError(`run.map(): example ${position} of the examples given: ${error.message}`, { cause: error });
    }
  }

  /**
   * Waits for the traces in flight and closes the file. A run the SDK created is then sealed
   * and the result (manifest, metrics, problems) returned; a run prepared by `labbook run` or
   * the action is sealed by them once the script exits, and this returns null. Safe to call twice.
   */
  finish(options: FinishOptions = {}): Promise<FinishRunResult | null> {
    try {
      checkOptions(options, FINISH_OPTIONS, 'run.finish()');
      this.#refuseInsideOwnTrace();
    } catch (error) {
      return Promise.reject(error);
    }
    this.#finishing ??= (async () => {
      // A hook that throws at once, rather than rejecting, must not stop the finish either.
      for (const hook of this.#beforeFinish)
        await Promise.resolve()
          .then(hook)
          .catch(() => undefined);
      // A map the script did not await is still traced to its end, not cut off at its first
      // example; a finish() called from inside a map (its callback, its onTrace) does not wait
      // for that map, which would never end: it stops the map instead, as before.
      const caller = insideMap.getStore();
      const others = () => [...this.#maps].filter(([, token]) => token !== caller).map(([mapping]) => mapping);
      for (let waiting = others(); waiting.length > 0; waiting = others()) await Promise.allSettled(waiting);
      this.#closed = true;
      await Promise.allSettled([...this.#pending]);
      if (this.mode === 'joined') {
        this.#writer.close();
        return null;
      }
      try {
        return await this.#seal(options.status ?? 'completed', options.statusReason);
      } finally {
        this.#disposeGuard?.();
      }
    })();
    return this.#finishing;
  }

  /**
   * A finish() from inside a trace of this run would wait for that trace, which waits for it.
   * Known through the async context: a callback that lost it (one queued by a pool created
   * before the trace, say) is not recognised, and such a finish() still waits for ever.
   */
  #refuseInsideOwnTrace(): void {
    const caller = insideRecording.getStore();
    if (caller?.run !== this || caller.settled) return;
    let exampleId: string | undefined;
    try {
      exampleId = exampleIdOf(caller.example as { id?: unknown; input?: unknown });
    } catch {
      exampleId = undefined; // an example refused for its id: the message names no example
    }
    throw new FinishInsideTraceError(exampleId);
  }

  /**
   * Seals a standalone run now with the traces already written (the crash guard calls this
   * without waiting for traces in flight). Only the first call seals; later ones share it.
   */
  #seal(status: 'completed' | 'failed' | 'partial', statusReason?: string): Promise<FinishRunResult> {
    this.#sealing ??= (async () => {
      this.#closed = true;
      this.#writer.close();
      const inFlight = this.#pending.size;
      const reason = [
        statusReason,
        inFlight > 0 && status !== 'completed'
          ? `${countNoun(inFlight, 'trace')} in progress ${inFlight === 1 ? 'was' : 'were'} not recorded`
          : undefined,
      ]
        .filter(Boolean)
        .join('; ');
      return finishRun(this.dir, { status, written: this.#writer.written, ...(reason ? { statusReason: reason } : {}) });
    })();
    return this.#sealing;
  }
}

interface Repeated<E> {
  example: E;
  trial: number;
}

/** Each example K times in a row, as trials 1..K (read lazily, like the examples). */
async function* repeatEach<E>(examples: Iterable<E> | AsyncIterable<E>, trials: number): AsyncGenerator<Repeated<E>> {
  for await (const example of examples) for (let trial = 1; trial <= trials; trial++) yield { example, trial };
}

function checkFunction(fn: unknown, where: string): void {
  if (typeof fn !== 'function') throw new UsageError(`${where}: expected a function, got ${describeValue(fn)}`);
}

function isIterable(value: unknown): value is Iterable<unknown> | AsyncIterable<unknown> {
  if (value === null || value === undefined) return false;
  const object = Object(value) as Record<symbol, unknown>;
  return typeof object[Symbol.iterator] === 'function' || typeof object[Symbol.asyncIterator] === 'function';
}

function isThenable(value: unknown): boolean {
  return value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function';
}
