/**
 * Where a recorded `metrics.json` disagrees with the metrics recomputed from the traces: what
 * `ls`, `show`, `export` and the site display must be what the traces say. Numbers may differ
 * by float noise (summation order, a JSON round trip), nothing more.
 */
interface MetricDrift {
  /** Dotted path inside metrics.json, e.g. `scores.accuracy.mean`. */
  path: string;
  recorded: unknown;
  recomputed: unknown;
}

/** Relative tolerance for numbers; absolute near zero. */
const RELATIVE = 1e-9;
const ABSOLUTE = 1e-12;

function sameNumber(a: number, b: number): boolean {
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= Math.max(ABSOLUTE, RELATIVE * Math.max(Math.abs(a), Math.abs(b)));
}

/**
 * Every leaf where `recorded` and `recomputed` differ. Metrics are a few levels deep by schema,
 * so the walk uses an explicit stack rather than recursion anyway.
 */
export function metricsDrift(recorded: unknown, recomputed: unknown, limit = 20): MetricDrift[] {
  const drift: MetricDrift[] = [];
  const stack: Array<{ path: string; a: unknown; b: unknown }> = [{ path: '', a: recorded, b: recomputed }];
  while (stack.length > 0 && drift.length < limit) {
    const { path, a, b } = stack.pop()!;
    if (typeof a === 'number' && typeof b === 'number') {
      if (!sameNumber(a, b)) drift.push({ path, recorded: a, recomputed: b });
    } else if (isContainer(a) && isContainer(b) && Array.isArray(a) === Array.isArray(b)) {
      const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort().reverse();
      for (const key of keys) {
        stack.push({ path: path ? `${path}.${key}` : key, a: (a as Record<string, unknown>)[key], b: (b as Record<string, unknown>)[key] });
      }
    } else if (a !== b) {
      drift.push({ path, recorded: a, recomputed: b });
    }
  }
  return drift;
}

function isContainer(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}
