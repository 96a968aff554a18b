import type { Span } from '../../schemas/span.ts';

/**
 * The attributes that name a TOOL span's tool, in the order they are read: the OpenTelemetry
 * GenAI key (what `labbook import`, the OTLP receiver and the OpenTelemetry exporter write for
 * every convention), then OpenInference's and the AI SDK's, which runs recorded before the
 * importer normalised them may still carry. One list, so metrics.json, `labbook query --by
 * tool`, the analysis API and the site's facets count a tool under one name.
 */
const TOOL_NAME_KEYS = ['gen_ai.tool.name', 'tool.name', 'ai.toolCall.name'] as const;

/** The name a TOOL span is counted under: the first of `TOOL_NAME_KEYS` it has, else its span name. */
export function spanToolName(span: Pick<Span, 'name' | 'attributes'>): string {
  const attributes = span.attributes;
  if (attributes) {
    for (const key of TOOL_NAME_KEYS) {
      const value = attributes[key];
      if (typeof value === 'string' && value.length > 0) return value;
    }
  }
  return span.name;
}
