import type { Trace } from '#schemas/trace.ts';
import { spanToolName } from '#lib/aggregate/tool-name.ts';

/**
 * What a trace's spans are, as short facets the traces table filters on: `type:LLM`,
 * `model:gpt-4o`, `tool:search`, and `attr:<key>=<value>` for short scalar attributes.
 * Facets are strings so a run can list them once and each row refer to them by index.
 */
export type FacetKind = 'type' | 'model' | 'tool' | 'attr';

/** Longest attribute value kept as a facet: longer ones are text, not categories. */
export const MAX_FACET_VALUE = 64;

/** The facets of one trace, each once, in first-seen order. */
export function spanFacets(trace: Trace): string[] {
  const facets = new Set<string>();
  for (const span of trace.spans) {
    facets.add(`type:${span.type}`);
    if (span.model) facets.add(`model:${span.model}`);
    const attributes = span.attributes ?? {};
    if (span.type === 'TOOL') {
      facets.add(`tool:${spanToolName(span)}`);
    }
    for (const [key, value] of Object.entries(attributes)) {
      if (
        typeof value === 'string'
          ? value.length > 0 && value.length <= MAX_FACET_VALUE && !value.includes('\n')
          : typeof value === 'number' || typeof value === 'boolean'
      ) {
        facets.add(`attr:${key}=${String(value)}`);
      }
    }
  }
  return [...facets];
}

/** A facet's kind and what it says, for menus and chips. */
export function describeFacet(facet: string): { kind: FacetKind; text: string } {
  const colon = facet.indexOf(':');
  const kind = facet.slice(0, colon) as FacetKind;
  return { kind, text: facet.slice(colon + 1) };
}
