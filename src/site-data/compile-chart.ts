import { compile, type TopLevelSpec } from 'vega-lite';

/**
 * Compiles a Vega-Lite spec to a Vega spec at build time, so a page that must draw a chart in
 * the browser (its data is only known there) ships the small Vega runtime and not the compiler.
 */
export function compileChart(spec: TopLevelSpec): object {
  return compile(spec).spec;
}
