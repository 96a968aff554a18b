import type { AlignedRun, AlignmentReport } from './comparison.ts';
import type { CompareRecord } from './compare-record.ts';

export interface Alignment {
  report: AlignmentReport;
  /** Examples present in every run, sorted (so the order depends on no run's file order). */
  keys: string[];
  /** For each run, the index of its (first) trace for each of `keys`. */
  index: Int32Array[];
  /**
   * For each run with several trials of an example: per matched example, the indices of all its
   * trial traces (empty when the example has no trial numbers); null for a run of single trials.
   */
  trials: Array<Int32Array[] | null>;
  /** For each run, every example it has → the index of its first trace. */
  lookup: Array<ReadonlyMap<string, number>>;
}

/**
 * Matches the traces of several runs on the same examples. The key is the example id; when
 * no example id is shared by all runs but inputs are, traces are matched on their input's
 * canonical string instead (runs made from datasets without ids). Nothing is dropped silently:
 * examples not in every run are listed per run, and duplicate examples within a run are
 * reported (the first trace in file order is the one compared).
 */
export function alignRuns(runs: ReadonlyArray<{ id: string; records: readonly CompareRecord[] }>): Alignment {
  const byId = alignOn(runs, (record) => record.exampleId, 'exampleId');
  if (byId.keys.length > 0 || runs.every((r) => r.records.length === 0)) return byId;
  const byInput = alignOn(runs, (record) => record.inputKey, 'inputHash');
  return byInput.keys.length > 0 ? byInput : byId;
}

function alignOn(
  runs: ReadonlyArray<{ id: string; records: readonly CompareRecord[] }>,
  keyOf: (record: CompareRecord) => string,
  keyName: AlignmentReport['key'],
): Alignment {
  const maps = runs.map(() => new Map<string, number>());
  const duplicates = runs.map(() => new Map<string, string[]>());
  // Traces with distinct trial numbers are trials of one example, not duplicates.
  const trialsOf = runs.map(() => new Map<string, { traces: number[]; numbers: Set<number> }>());
  runs.forEach((run, r) => {
    const map = maps[r]!;
    run.records.forEach((trace, i) => {
      const key = keyOf(trace);
      const first = map.get(key);
      if (first === undefined) {
        map.set(key, i);
        if (trace.trial !== undefined) trialsOf[r]!.set(key, { traces: [i], numbers: new Set([trace.trial]) });
        return;
      }
      const trials = trialsOf[r]!.get(key);
      if (trials && trace.trial !== undefined && !trials.numbers.has(trace.trial)) {
        trials.traces.push(i);
        trials.numbers.add(trace.trial);
        return;
      }
      const dup = duplicates[r]!;
      const list = dup.get(key) ?? [run.records[first]!.id];
      list.push(trace.id);
      dup.set(key, list);
    });
  });

  // How many runs hold each example.
  const presence = new Map<string, number>();
  for (const map of maps) for (const key of map.keys()) presence.set(key, (presence.get(key) ?? 0) + 1);
  const keys = [...presence]
    .filter(([, count]) => count === runs.length)
    .map(([key]) => key)
    .sort();
  const index = maps.map((map) => Int32Array.from(keys, (key) => map.get(key) as number));
  const trials = trialsOf.map((byKey) =>
    [...byKey.values()].some((t) => t.traces.length > 1) ? keys.map((key) => Int32Array.from(byKey.get(key)?.traces ?? [])) : null,
  );

  const alignedRuns: AlignedRun[] = runs.map((run, r) => {
    const map = maps[r]!;
    const onlyIn = [...map.keys()].filter((key) => presence.get(key) === 1 && runs.length > 1).sort();
    return {
      run: run.id,
      traces: run.records.length,
      examples: map.size,
      onlyIn,
      missing: presence.size - map.size,
      ...(trials[r] ? { trials: Math.max(...[...trialsOf[r]!.values()].map((t) => t.traces.length)) } : {}),
      duplicates: [...duplicates[r]!].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([example, traces]) => ({ example, traces })),
    };
  });
  return {
    report: { key: keyName, examples: presence.size, matched: keys.length, runs: alignedRuns },
    keys,
    index,
    trials,
    lookup: maps,
  };
}
