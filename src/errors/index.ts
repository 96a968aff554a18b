export { LabbookError } from './labbook-error.ts';
export { AmbiguousReferenceError } from './ambiguous-reference-error.ts';
export { FinishInsideTraceError } from './finish-inside-trace-error.ts';
export { FileFormatError, formatLocation, type FileLocation } from './file-format-error.ts';
export { InvalidNameError } from './invalid-name-error.ts';
export { NestedTraceError } from './nested-trace-error.ts';
export { NotFoundError } from './not-found-error.ts';
export { UsageError } from './usage-error.ts';
export { errorMessage } from './error-message.ts';
