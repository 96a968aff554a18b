import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { RunManifest } from '../../schemas/run-manifest.ts';
import { FileFormatError } from '../errors/index.ts';
import { sha256Hex, toDigest } from '../store/digest.ts';
import { RUN_FILES } from '../store/layout.ts';
import { readRunManifest, readRunMetrics, streamTraces } from '../store/run-reader.ts';
import { readRecordedPlan } from '../plan/read-recorded-plan.ts';
import { verifyRunFiles } from '../store/sha256sums.ts';
import { findTraceStorage, TRACE_CHUNKS_DIR } from '../store/trace-storage.ts';
import { CHUNKS_IN_PROGRESS } from '../store/compact-traces.ts';
import { checkSpanTree } from '../store/span-tree.ts';
import { parseYamlMapping } from '../store/yaml.ts';
import { createAggregator } from '../aggregate/aggregator.ts';
import { metricsDrift } from './metrics-drift.ts';
import { problemFrom, type Problem } from '../errors/problem.ts';
import { staleRunProblems } from './stale-run.ts';

/**
 * Checks one run folder: run.json, config.yaml and its digest, every trace line, the span trees,
 * the counts, metrics.json (recomputed from the traces) and SHA256SUMS. A run still `running` is
 * checked for what it has so far, and for a writer that is gone (see stale-run.ts). Returns every problem found; never throws for bad content.
 */
export async function validateRun(
  dir: string,
  expected?: { experiment?: string },
  options: { now?: Date } = {},
): Promise<{ manifest?: RunManifest; problems: Problem[]; traceIds: Set<string> }> {
  const problems: Problem[] = [];
  const traceIds = new Set<string>();
  const manifestFile = join(dir, RUN_FILES.manifest);
  let manifest: RunManifest;
  try {
    manifest = await readRunManifest(dir);
  } catch (error) {
    return { problems: [problemFrom(error, manifestFile)], traceIds };
  }
  if (manifest.id !== basename(dir))
    problems.push({
      severity: 'error',
      file: manifestFile,
      field: 'id',
      message: `is "${manifest.id}" but the folder is "${basename(dir)}"`,
    });
  if (expected?.experiment && manifest.experiment !== expected.experiment) {
    problems.push({
      severity: 'error',
      file: manifestFile,
      field: 'experiment',
      message: `is "${manifest.experiment}" but the run is filed under "${expected.experiment}"`,
    });
  }

  const configFile = join(dir, RUN_FILES.config);
  if (!existsSync(configFile)) problems.push({ severity: 'error', file: configFile, message: 'missing' });
  else {
    const text = await readFile(configFile, 'utf8');
    try {
      parseYamlMapping(text, configFile);
    } catch (error) {
      problems.push(problemFrom(error, configFile));
    }
    if (toDigest(sha256Hex(text)) !== manifest.config.digest) {
      problems.push({
        severity: 'error',
        file: configFile,
        message: `digest does not match run.json config.digest ${manifest.config.digest}`,
      });
    }
  }

  // The eval plan the run recorded: present, valid, and the one whose digest run.json holds.
  if (manifest.plan || existsSync(join(dir, RUN_FILES.plan))) {
    try {
      if (!manifest.plan)
        problems.push({
          severity: 'warning',
          file: join(dir, RUN_FILES.plan),
          message: 'run.json records no plan: this file is not the plan of the run',
        });
      else await readRecordedPlan(dir, manifest);
    } catch (error) {
      problems.push(problemFrom(error, join(dir, RUN_FILES.plan)));
    }
  }

  const { storage } = await findTraceStorage(dir, manifest);
  const tracesFile = storage.kind === 'plain' ? storage.file : join(dir, TRACE_CHUNKS_DIR);
  const tracesName = storage.kind === 'chunks' ? 'the trace chunks' : RUN_FILES.traces;
  const counts = { traces: 0, errors: 0, spans: 0, scores: 0 };
  // Recomputed as finishRun computed it: duplicates and broken span trees are left out.
  const aggregator = createAggregator();
  if (storage.kind === 'chunks' && manifest.status === 'running') {
    problems.push({
      severity: 'error',
      file: tracesFile,
      message: 'a running run keeps its traces in traces.jsonl; chunks appear only when it is sealed',
    });
  }
  // A running run's writer may be compressing as it writes (see LiveChunks): only a sealed run's are left over.
  if (manifest.status !== 'running' && existsSync(join(dir, CHUNKS_IN_PROGRESS))) {
    problems.push({
      severity: 'warning',
      file: join(dir, CHUNKS_IN_PROGRESS),
      message:
        'half-written chunks an interrupted seal or compaction left; no reader uses them, and "labbook compact" (or sealing again) removes them',
    });
  }
  const plainHash = createHash('sha256');
  // Storage errors: traces that could not be read at all (a chunk truncated, missing).
  let unreadable = 0;
  {
    // Storage problems (a chunk missing, corrupt or miscounted; both forms at once) name their file.
    // uniqueIds: a repeated id is a problem at its own line, and the first trace is the one kept.
    for await (const trace of streamTraces(dir, {
      manifest,
      uniqueIds: true,
      onChunk: (bytes) => plainHash.update(bytes),
      onError: (e) => problems.push(problemFrom(e, tracesFile)),
      onStorageError: (e) => {
        unreadable++;
        problems.push(problemFrom(e, tracesFile));
      },
    })) {
      traceIds.add(trace.id);
      const treeProblems = checkSpanTree(trace);
      for (const p of treeProblems) {
        problems.push({
          severity: p.kind === 'orphan-span' ? 'warning' : 'error',
          file: tracesFile,
          field: `trace ${trace.id}`,
          message: p.message,
        });
      }
      if (treeProblems.every((p) => p.kind === 'orphan-span')) aggregator.add(trace);
      counts.traces++;
      counts.spans += trace.spans.length;
      counts.scores += trace.scores.length;
      if (trace.status === 'error') counts.errors++;
    }
  }
  const recordedPlain = manifest.traceChunks?.plainDigest;
  if (
    storage.kind === 'chunks' &&
    recordedPlain &&
    !problems.some((p) => p.file.startsWith(tracesFile)) &&
    toDigest(plainHash.digest('hex')) !== recordedPlain
  ) {
    problems.push({
      severity: 'error',
      file: manifestFile,
      field: 'traceChunks.plainDigest',
      message: `is ${recordedPlain} but the chunks decompress to other bytes`,
    });
  }
  if (manifest.status === 'running') {
    problems.push(...(await staleRunProblems(dir, manifest, options.now ?? new Date())));
    return { manifest, problems, traceIds };
  }

  const metricsFile = join(dir, RUN_FILES.metrics);
  if (unreadable > 0) {
    // Every count and metric would differ from what the readable part gives: one line says so,
    // instead of one per figure burying the storage error above.
    problems.push({
      severity: 'warning',
      file: metricsFile,
      message: `not checked against the traces: ${tracesName} could not all be read (see the error${unreadable > 1 ? 's' : ''} above), so run.json's counts and metrics.json cannot be recomputed`,
    });
  }
  for (const key of ['traces', 'errors', 'spans', 'scores'] as const) {
    if (unreadable > 0) break;
    if (manifest.counts[key] !== counts[key] && manifest.status !== 'failed') {
      problems.push({
        severity: 'error',
        file: manifestFile,
        field: `counts.${key}`,
        message: `says ${manifest.counts[key]} but ${tracesName} ${storage.kind === 'chunks' ? 'have' : 'has'} ${counts[key]}`,
      });
    }
  }
  try {
    const recorded = await readRunMetrics(dir);
    for (const drift of unreadable > 0 ? [] : metricsDrift(recorded, aggregator.result())) {
      problems.push({
        severity: 'error',
        file: metricsFile,
        field: drift.path,
        message: `records ${JSON.stringify(drift.recorded)} but the traces give ${JSON.stringify(drift.recomputed)}: metrics.json does not match ${tracesName}`,
      });
    }
  } catch (error) {
    problems.push(problemFrom(error, metricsFile));
  }
  const sumsFile = join(dir, RUN_FILES.sums);
  if (!existsSync(sumsFile)) problems.push({ severity: 'error', file: sumsFile, message: 'missing: the run was never sealed' });
  else {
    try {
      for (const m of await verifyRunFiles(dir)) {
        problems.push({
          severity: 'error',
          file: join(dir, m.file),
          message: `${m.problem === 'changed' ? 'does not match its SHA256SUMS entry (edited after the run was sealed)' : m.problem === 'missing' ? 'listed in SHA256SUMS but missing' : 'not listed in SHA256SUMS (added after the run was sealed)'}`,
        });
      }
    } catch (error) {
      problems.push(problemFrom(error, sumsFile));
    }
  }
  return { manifest, problems, traceIds };
}

export { FileFormatError };
