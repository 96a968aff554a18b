import { describe, expect, it } from 'vitest';
import { NO_TRACES_REASON } from '#lib/runner/empty-run.ts';
import { noTracesSentence } from './run-view.ts';

describe('the run page of a run with no traces', () => {
  it('says how traces get into a run when its command recorded none, and gives any other reason as it is', () => {
    expect(noTracesSentence(NO_TRACES_REASON)).toMatch(
      /^This run recorded no traces: its command ran to the end without .*OTEL_EXPORTER_OTLP_ENDPOINT/,
    );
    expect(noTracesSentence(NO_TRACES_REASON)).not.toContain(NO_TRACES_REASON); // not "no traces: … no traces"
    expect(noTracesSentence('command exited with code 1')).toBe('This run recorded no traces: command exited with code 1');
    expect(noTracesSentence(undefined)).toBe('This run recorded no traces.');
  });
});
