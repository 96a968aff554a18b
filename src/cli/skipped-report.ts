import type { LabbookError } from '../errors/index.ts';

/** Lines printed in full; the rest are counted, so a run of a million bad lines stays readable. */
const SHOWN = 20;

/**
 * Collects what an export left out (an unreadable run, an invalid or repeated trace line) and
 * prints it as warnings naming file and line, so a bad trace costs only itself and is never
 * left out in silence.
 */
export function skippedReport(stderr: (text: string) => void): { onSkipped: (error: LabbookError) => void; finish: () => number } {
  let count = 0;
  return {
    onSkipped(error) {
      count++;
      if (count <= SHOWN) stderr(`warning: skipped: ${error.message}`);
    },
    finish() {
      if (count > SHOWN) stderr(`warning: … and ${count - SHOWN} more skipped; "labbook validate" lists every problem`);
      return count;
    },
  };
}
