import type { DeploymentCheck } from '../../schemas/deployment.ts';
import { formatTable } from '../text/format-table.ts';

/** The checks as a table a person reads: name, pass / FAIL / skipped, why. */
export function formatChecksTable(checks: DeploymentCheck[]): string {
  return formatTable(checks, [
    { header: 'check', value: (c) => c.name },
    { header: 'result', value: (c) => (c.ok ? 'pass' : c.skipped ? 'skipped' : 'FAIL') },
    { header: 'detail', value: (c) => c.detail, maxWidth: 120 },
  ]);
}
