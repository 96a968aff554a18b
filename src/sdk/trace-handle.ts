import type { Score, ScoreSource } from '../../schemas/score.ts';
import type { SpanType } from '../../schemas/span.ts';
import { UsageError } from '../errors/index.ts';
import { checkTags } from './example.ts';
import { scoreFields } from './evaluators/evaluator.ts';
import { spanInTrace, type TraceState } from './span-context.ts';
import type { SpanHandle } from './span-handle.ts';

/** What the function given to `run.trace` receives: the example, and ways to add to its trace. */
export class TraceHandle<Input = unknown, Expected = unknown> {
  readonly id: string;
  readonly exampleId: string;
  readonly input: Input;
  readonly expected: Expected;
  /** Set by `setOutput`; used when the traced function returns undefined. */
  output: unknown = undefined;
  readonly tags: string[];
  metadata: Record<string, unknown> | undefined;
  readonly scores: Score[] = [];
  readonly #state: TraceState;

  constructor(
    state: TraceState,
    fields: { id: string; exampleId: string; input: Input; expected: Expected; tags: string[]; metadata?: Record<string, unknown> },
  ) {
    this.#state = state;
    this.id = fields.id;
    this.exampleId = fields.exampleId;
    this.input = fields.input;
    this.expected = fields.expected;
    this.tags = fields.tags;
    this.metadata = fields.metadata;
  }

  /** Like `span()`, but always in this trace, even from a callback that lost the async context. */
  span<T>(name: string, type: SpanType, fn: (span: SpanHandle) => T): T {
    return spanInTrace(this.#state, name, type, fn);
  }

  /** The trace's output when the traced function returns nothing (its return value wins otherwise). */
  setOutput(output: unknown): this {
    this.output = output;
    return this;
  }

  addTags(...tags: string[]): this {
    for (const tag of checkTags(tags, 'addTags()')) if (!this.tags.includes(tag)) this.tags.push(tag);
    return this;
  }

  setMetadata(metadata: Record<string, unknown>): this {
    if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata))
      throw new UsageError('setMetadata() expects an object');
    this.metadata = { ...this.metadata, ...metadata };
    return this;
  }

  /**
   * Records a score computed inside the traced function. A value that is not a finite number,
   * boolean or string is kept as `value: null` with an error, like an evaluator's.
   */
  score(name: string, value: unknown, options: { rationale?: string; source?: ScoreSource } = {}): this {
    if (typeof name !== 'string' || name === '' || name.length > 200) throw new UsageError('score() expects a name of 1 to 200 characters');
    const fields = scoreFields(options.rationale === undefined ? value : { value, rationale: options.rationale });
    this.scores.push({ name, ...fields, source: options.source ?? 'code' });
    return this;
  }
}
