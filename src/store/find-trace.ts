import type { Trace } from '../../schemas/trace.ts';
import { NotFoundError } from '../errors/index.ts';
import { streamTraces } from './run-reader.ts';
import { countNoun } from '../text/count-noun.ts';

/** How many of a run's traces a "not found" message shows, as examples of ids that work. */
const SHOWN = 3;

/**
 * The trace `ref` names in a run: a trace id, or the id of the dataset example the trace ran
 * (what a reviewer reading the dataset knows it by) when exactly one trace ran it. One pass
 * over the run's traces; a "not found" names a few ids that exist.
 */
export async function findTrace(runDir: string, runId: string, ref: string): Promise<{ trace: Trace; byExample: boolean }> {
  const ofExample: Trace[] = [];
  const shown: string[] = [];
  let count = 0;
  let invalid = 0;
  // Bad trace lines are `labbook validate`'s to report; here they are counted, in case one is the trace asked for.
  for await (const trace of streamTraces(runDir, { onError: () => invalid++ })) {
    if (trace.id === ref) return { trace, byExample: false };
    count++;
    if (trace.exampleId !== undefined && String(trace.exampleId) === ref) ofExample.push(trace);
    if (shown.length < SHOWN) shown.push(trace.exampleId === undefined ? trace.id : `${trace.id} (example ${trace.exampleId})`);
  }
  if (ofExample.length === 1) return { trace: ofExample[0]!, byExample: true };
  if (ofExample.length > 1) {
    const ids = ofExample.map((trace) => trace.id);
    throw new NotFoundError(
      'trace',
      ref,
      `example ${JSON.stringify(ref)} ran ${ids.length} times in run ${runId} (trials): give one trace id: ${ids.slice(0, 8).join(', ')}${ids.length > 8 ? ', …' : ''}`,
    );
  }
  const examples = count === 0 ? 'it has no traces' : `it has ${countNoun(count, 'trace')}, such as ${shown.join(', ')}`;
  const refused =
    invalid === 0
      ? ''
      : `; ${invalid === 1 ? 'one of its lines is not a valid trace' : `${invalid} of its lines are not valid traces`} and may hold it ("labbook validate" says what is wrong)`;
  throw new NotFoundError(
    'trace',
    ref,
    `no trace or example ${JSON.stringify(ref)} in run ${runId}; ${examples}${refused}; the site shows each trace's id`,
  );
}
