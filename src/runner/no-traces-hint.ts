/**
 * What a run that recorded no trace tells its user: how traces get into a run. An agent not yet
 * instrumented, or exporting somewhere else, is then found out at once, not from an empty page
 * of the site. `otlpOff`: how the receiver was turned off (`--no-otlp`, the action's `otlp:
 * false`), when it was.
 */
export function noTracesHint(otlpOff?: string): string {
  const sdk = 'the Labbook SDK writes to the run (LABBOOK_RUN_DIR, docs/sdk.md)';
  return otlpOff
    ? `the command recorded no traces. A run takes what ${sdk}; with ${otlpOff}, spans an OpenTelemetry exporter sends are not received (docs/otlp.md)`
    : `the command recorded no traces. A run takes what ${sdk} and the spans an OpenTelemetry exporter sends to OTEL_EXPORTER_OTLP_ENDPOINT (docs/otlp.md); both are set for the command`;
}
