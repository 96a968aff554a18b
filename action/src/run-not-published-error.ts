import { LabbookError } from '../../src/errors/index.ts';
import { errorMessage } from '../../src/errors/error-message.ts';

/**
 * A run that was sealed but not published, because a later step failed (the data branch could
 * not be fetched, say). It carries the run's folder so the step can still name it in its
 * outputs for an upload-artifact step: nothing recorded is lost.
 */
export class RunNotPublishedError extends LabbookError {
  override name = 'RunNotPublishedError';
  constructor(
    readonly runId: string,
    readonly runDir: string,
    readonly status: string,
    cause: unknown,
  ) {
    super(`run ${runId} (${status}) is kept in ${runDir} but was not published: ${errorMessage(cause)}`, { cause });
  }
}
