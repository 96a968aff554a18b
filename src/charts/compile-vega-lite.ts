import { compile, type TopLevelSpec } from 'vega-lite';

/**
 * Vega-Lite's compile messages, kept out of the build log: a compile error throws (a chart we
 * wrote is wrong), warnings are dropped (the interval charts' rule and point layers union one
 * field's domain across facets; they read the same data, so the warning is noise).
 */
const QUIET = {
  level: () => QUIET,
  error: (...args: unknown[]) => {
    throw new Error(args.map(String).join(' '));
  },
  warn: () => QUIET,
  info: () => QUIET,
  debug: () => QUIET,
} as unknown as NonNullable<Parameters<typeof compile>[1]>['logger'];

/**
 * Compiles a Vega-Lite spec to a Vega spec ahead of time, so a page that must draw a chart in
 * the browser (its data is only known there) ships the small Vega runtime and not the compiler.
 */
export function compileVegaLite(spec: TopLevelSpec): object {
  return compile(spec, { logger: QUIET }).spec;
}
