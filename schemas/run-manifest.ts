import { z } from 'zod';
import { digestSchema, isoTimeSchema, nameSchema } from './names.ts';

export const runStatusSchema = z.enum(['running', 'completed', 'failed', 'partial']);
export type RunStatus = z.infer<typeof runStatusSchema>;

/** Provenance of a run made by a CI job. Every field comes from the runner's environment. */
export const ciSourceSchema = z.object({
  kind: z.literal('ci'),
  provider: z.literal('github'),
  serverUrl: z.string(),
  repository: z.string(),
  workflow: z.string(),
  workflowRef: z.string().optional(),
  workflowRunId: z.string(),
  workflowRunAttempt: z.string(),
  job: z.string(),
  ref: z.string(),
  sha: z.string(),
  actor: z.string(),
  event: z.string(),
  runUrl: z.string(),
  /**
   * Present when the CI job was simulated: the action run on a machine with a job's variables
   * against a stand-in for GitHub's API (`npm run demo`, tests), set by LABBOOK_SIMULATED_CI.
   * The site labels such runs "simulated CI"; their links lead nowhere on GitHub.
   */
  simulated: z.literal(true).optional(),
});
export type CiSource = z.infer<typeof ciSourceSchema>;

export const localSourceSchema = z.object({
  kind: z.literal('local'),
  host: z.string(),
  user: z.string(),
});
export type LocalSource = z.infer<typeof localSourceSchema>;

export const runSourceSchema = z.discriminatedUnion('kind', [ciSourceSchema, localSourceSchema]);
export type RunSource = z.infer<typeof runSourceSchema>;

export const runCountsSchema = z.object({
  traces: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
  spans: z.number().int().nonnegative(),
  scores: z.number().int().nonnegative(),
});
export type RunCounts = z.infer<typeof runCountsSchema>;

/** What the evaluation command did, when the run was made by `labbook run` or the action. */
export const runProcessSchema = z.object({
  command: z.array(z.string()),
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable().optional(),
  stdoutTail: z.string(),
  stderrTail: z.string(),
});
export type RunProcess = z.infer<typeof runProcessSchema>;

export const shardSchema = z.object({ index: z.number().int().min(1), count: z.number().int().min(1) });
export type Shard = z.infer<typeof shardSchema>;

/**
 * One gzip-compressed chunk of a sealed run's traces (`traces/00000.jsonl.gz`, …). Decompressed
 * and joined in order, the chunks are byte for byte what `traces.jsonl` held.
 */
export const traceChunkSchema = z.object({
  /** Path inside the run folder: `traces/<5 digits>.jsonl.gz`. */
  file: z.string().regex(/^traces\/\d{5}\.jsonl\.gz$/),
  /** Non-blank lines in the chunk: one trace each (an invalid line of a failed run counts too). */
  traces: z.number().int().nonnegative(),
  /** Bytes of JSON Lines once decompressed. */
  bytes: z.number().int().nonnegative(),
});
export type TraceChunk = z.infer<typeof traceChunkSchema>;

/** `experiments/<experiment>/runs/<id>/run.json`. */
/** A run's display name (`--name`, the action's `name`): the config's name by default. */
export const RUN_NAME_MAX = 200;

export const runManifestSchema = z.object({
  schemaVersion: z.literal(1),
  id: nameSchema,
  experiment: nameSchema,
  name: z.string().min(1).max(RUN_NAME_MAX),
  status: runStatusSchema,
  createdAt: isoTimeSchema,
  finishedAt: isoTimeSchema.optional(),
  source: runSourceSchema,
  code: z.object({
    commit: z.string().nullable(),
    branch: z.string().nullable(),
    dirty: z.boolean(),
  }),
  config: z.object({
    /** Where the config was read from, relative to the repository root when possible. */
    path: z.string(),
    /** The config's name (file name without extension): runs of the same config share it. */
    name: z.string(),
    digest: digestSchema,
  }),
  dataset: z.object({ path: z.string(), digest: digestSchema, size: z.number().int().nonnegative() }).nullable().default(null),
  /**
   * The evaluation plan (`<experiment>/plan.yaml`) in force when the run was made, as committed
   * at `code.commit`; its text is kept in the run as `plan.yaml`. `committed: false` when the
   * file was not in that commit (read from the working tree) or differed from it.
   */
  plan: z.object({ path: z.string(), digest: digestSchema, committed: z.boolean() }).optional(),
  counts: runCountsSchema,
  tool: z.object({ name: z.literal('labbook'), version: z.string() }),
  shard: shardSchema.optional(),
  /** For a run merged from shards: the shard runs it joined and the shards that never arrived. */
  merge: z
    .object({ shards: z.array(z.object({ index: z.number().int(), runId: z.string() })), missing: z.array(z.number().int()) })
    .optional(),
  process: runProcessSchema.optional(),
  /** sha256 (hex) of every other file of the run, by file name. */
  files: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)).default({}),
  /**
   * Present once the run's traces are compressed (sealed runs): the chunks in order, and the
   * sha256 of the plain JSON Lines they hold, which compaction keeps unchanged.
   */
  traceChunks: z
    .object({ plainDigest: digestSchema, plainBytes: z.number().int().nonnegative(), chunks: z.array(traceChunkSchema) })
    .optional(),
  /** Why the run is `failed` or `partial`, in words. */
  statusReason: z.string().optional(),
});
export type RunManifest = z.infer<typeof runManifestSchema>;
export type RunManifestInput = z.input<typeof runManifestSchema>;
