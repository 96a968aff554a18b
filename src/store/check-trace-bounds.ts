import { HIDDEN_CHARACTERS_MESSAGE, isVisibleId } from '../../schemas/hidden-characters.ts';
import { findBoundsViolation, formatFieldPath } from '../../schemas/value-limits.ts';
import { FileFormatError, type FileLocation } from '../errors/index.ts';

/**
 * The bounds check every path that writes traces shares (the SDK's writer through the trace
 * schema, the runner sealing lines other languages wrote, `import`, any receiver): the id rule
 * and `VALUE_LIMITS`, exactly as readers apply them, so a trace that is written can be read.
 * Throws a `FileFormatError` at `where` naming the field. It is cheap (one iterative walk) and
 * safe on any plain value however deep; call it before anything walks the trace recursively.
 */
export function checkTraceBounds(trace: unknown, where: FileLocation): void {
  const id = trace !== null && typeof trace === 'object' ? (trace as { id?: unknown }).id : undefined;
  if (typeof id === 'string' && !isVisibleId(id)) {
    throw new FileFormatError({ ...where, field: 'id' }, `${HIDDEN_CHARACTERS_MESSAGE} (got ${JSON.stringify(id)})`);
  }
  const violation = findBoundsViolation(trace);
  if (violation) throw new FileFormatError({ ...where, field: formatFieldPath(violation.path) || undefined }, violation.message);
}
