import type { CompareRecord } from './compare-record.ts';

interface ClusterIds {
  /** The dotted path from experiment.yaml. */
  key: string;
  /** The cluster of each matched example (alignment order), as small integers. */
  ids: Int32Array;
  /** Matched examples whose trace has no value at the path: each is its own cluster. */
  missing: number;
}

/**
 * The cluster of each matched example: the value at `key` (e.g. `metadata.document`) of the
 * baseline's trace of the example, which its record carries (compareRecordFromTrace). Values are compared as canonical JSON strings, so 3 and "3"
 * are different clusters. An example without a value becomes a cluster of its own (the
 * independent case) and is counted, so the caller can warn.
 */
export function readClusterIds(key: string, records: readonly CompareRecord[], index: Int32Array): ClusterIds {
  const numbers = new Map<string, number>();
  const ids = new Int32Array(index.length);
  let missing = 0;
  for (let p = 0; p < index.length; p++) {
    const value = records[index[p]!]!.cluster;
    let name: string;
    if (value === undefined || value === null) {
      missing++;
      name = `\u0000example ${p}`;
    } else {
      name = JSON.stringify(value);
    }
    let id = numbers.get(name);
    if (id === undefined) {
      id = numbers.size;
      numbers.set(name, id);
    }
    ids[p] = id;
  }
  return { key, ids, missing };
}
