import { createReadStream } from 'node:fs';
import { none } from 'stream-chain/defs.js';
import Assembler from 'stream-json/core/assembler.js';
import { jsonParser, type Token } from 'stream-json/core/parser.js';
import { jsonVerifier, type VerifierError } from 'stream-json/core/utils/verifier.js';
import { errorMessage } from '../../errors/error-message.ts';
import { FileFormatError } from '../../errors/index.ts';
import { firstInvalidUtf8Byte } from '../../store/decode-utf8.ts';
import { VALUE_LIMITS } from '../../../schemas/value-limits.ts';
import { detachString } from '../../text/detach-string.ts';

/** The keys OTLP JSON (and the Collector's older or snake_case spellings) nest spans under. */
const RESOURCE_SPANS = new Set(['resourceSpans', 'resource_spans']);
const SCOPE_SPANS = new Set(['scopeSpans', 'scope_spans', 'instrumentationLibrarySpans']);
const SCOPE = new Set(['scope', 'instrumentationLibrary']);

type Role = 'requestList' | 'request' | 'resourceList' | 'resource' | 'scopeList' | 'scope' | 'spanList';

interface ResourceGroup {
  resource: unknown;
  /** Whether `resource` is known: read, or its object ended without one. */
  settled: boolean;
  /** Parts made before the resource was read, held until it is. */
  held: Array<{ scope: unknown; spans: unknown[] }>;
}

interface ScopeGroup {
  scope: unknown;
  settled: boolean;
  spans: unknown[];
}

/** An object or array the walk is inside of and wants something from. */
interface Frame {
  role: Role;
  /** The key the next value of this object is under. */
  key?: string;
  /** A request's first keys, and whether one held its spans: else it is named as not OTLP. */
  keys?: string[];
  hasSpans?: boolean;
  resource?: ResourceGroup;
  scope?: ScopeGroup;
}

/** What to do with a value that starts: walk into it (a role), keep it whole (capture), or skip it. */
type Plan = { role: Role } | { capture: (value: unknown) => void } | { skip: true };

/**
 * Reads one OTLP JSON document (`{"resourceSpans": [...]}`, or an array of such requests; or
 * several, one after another, as JSON Lines whose lines are too long to read whole) as a
 * stream, without parsing it whole: it yields requests of at most `spansPerPart` spans, each
 * shaped as the whole would be (its resource and scope repeated), so memory holds one part,
 * not the file. stream-json's tokenizer reads the structure; each resource, scope and span is
 * assembled into a value of its own, and everything else is skipped unassembled. A resource or
 * scope written after its spans (JSON keys may come in any order) holds those spans back until
 * it is read. A request without `resourceSpans` yields its first keys (with null values), and
 * anything else where a request belongs yields itself, so the collector's "not OTLP" message
 * says what the file holds instead, as it does for a document read whole.
 *
 * Malformed JSON and bytes that are not UTF-8 are `FileFormatError`s naming the line and column.
 */
export async function* streamOtlpJsonDocument(file: string, spansPerPart = 1000): AsyncGenerator<unknown> {
  const parse = jsonParser({ packValues: true, streamValues: false, jsonStreaming: true, maxPackedLength: VALUE_LIMITS.stringLength });
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const stack: Frame[] = [];
  const ready: unknown[] = [];
  let yielded = 0;
  let assembler: Assembler | undefined;
  let deliver: (value: unknown) => void = () => {};
  let skipDepth = 0;

  const part = (resource: unknown, scope: unknown, spans: unknown[]) => ({
    resourceSpans: [
      { ...(resource !== undefined ? { resource } : {}), scopeSpans: [{ ...(scope !== undefined ? { scope } : {}), spans }] },
    ],
  });
  const settleResource = (group: ResourceGroup) => {
    group.settled = true;
    for (const held of group.held.splice(0)) ready.push(part(group.resource, held.scope, held.spans));
  };
  /** The scope's spans so far, as a part, once its scope and resource are known. */
  const flushScope = (scope: ScopeGroup) => {
    if (!scope.settled || scope.spans.length === 0) return;
    const group = stack.findLast((frame) => frame.role === 'resource')!.resource!;
    const spans = scope.spans.splice(0);
    if (group.settled) ready.push(part(group.resource, scope.scope, spans));
    else group.held.push({ scope: scope.scope, spans });
  };

  const planFor = (parent: Frame, key: string | undefined, kind: 'object' | 'array' | 'scalar'): Plan => {
    switch (parent.role) {
      case 'requestList':
        // What is not a request is handed on whole, for the collector to say what it is.
        return kind === 'object' ? { role: 'request' } : { capture: (value) => ready.push(value) };
      case 'request':
        if (key !== undefined && RESOURCE_SPANS.has(key) && kind === 'array') {
          parent.hasSpans = true;
          return { role: 'resourceList' };
        }
        return { skip: true };
      case 'resourceList':
        return kind === 'object' ? { role: 'resource' } : { skip: true };
      case 'resource': {
        const group = parent.resource!;
        if (key === 'resource')
          return {
            capture: (value) => {
              group.resource = value;
              settleResource(group);
            },
          };
        return key !== undefined && SCOPE_SPANS.has(key) && kind === 'array' ? { role: 'scopeList' } : { skip: true };
      }
      case 'scopeList':
        return kind === 'object' ? { role: 'scope' } : { skip: true };
      case 'scope': {
        const scope = parent.scope!;
        if (key !== undefined && SCOPE.has(key))
          return {
            capture: (value) => {
              scope.scope = value;
              scope.settled = true;
              flushScope(scope);
            },
          };
        return key === 'spans' && kind === 'array' ? { role: 'spanList' } : { skip: true };
      }
      case 'spanList': {
        const scope = stack.findLast((frame) => frame.role === 'scope')!.scope!;
        return {
          capture: (value) => {
            scope.spans.push(value);
            if (scope.spans.length >= spansPerPart) flushScope(scope);
          },
        };
      }
    }
  };

  const startValue = (token: Token, kind: 'object' | 'array' | 'scalar') => {
    const parent = stack.at(-1);
    if (!parent) {
      if (kind === 'scalar') ready.push(scalarValue(token));
      else stack.push(kind === 'object' ? { role: 'request', keys: [] } : { role: 'requestList' });
      return;
    }
    const key = parent.key;
    parent.key = undefined;
    const plan = planFor(parent, key, kind);
    if ('capture' in plan) {
      if (kind === 'scalar') return plan.capture(keepOwnStrings('', scalarValue(token)));
      assembler = new Assembler({ reviver: keepOwnStrings });
      deliver = plan.capture;
      return take(token);
    }
    if (kind === 'scalar') return;
    if ('skip' in plan) {
      skipDepth = 1; // nothing is wanted from this value: only its end is looked for
      return;
    }
    const frame: Frame = { role: plan.role };
    if (plan.role === 'request') frame.keys = [];
    if (plan.role === 'resource') frame.resource = { resource: undefined, settled: false, held: [] };
    if (plan.role === 'scope') frame.scope = { scope: undefined, settled: false, spans: [] };
    stack.push(frame);
  };

  const endContainer = () => {
    const frame = stack.pop()!;
    // An object's end settles what it did not say: no scope, no resource.
    if (frame.role === 'scope') {
      frame.scope!.settled = true;
      flushScope(frame.scope!);
    } else if (frame.role === 'resource') {
      settleResource(frame.resource!);
    } else if (frame.role === 'request' && !frame.hasSpans) {
      ready.push(Object.fromEntries(frame.keys!.map((key) => [key, null])));
    }
  };

  /** A token of a value being assembled; delivers the value once it is whole. */
  const take = (token: Token) => {
    assembler!.consume(token);
    if (!assembler!.done) return;
    const value = assembler!.current;
    assembler = undefined;
    deliver(value);
  };

  const onToken = (token: Token) => {
    if (assembler) return take(token);
    if (skipDepth > 0) {
      if (token.name === 'startObject' || token.name === 'startArray') skipDepth++;
      else if (token.name === 'endObject' || token.name === 'endArray') skipDepth--;
      return;
    }
    switch (token.name) {
      case 'startObject':
        return startValue(token, 'object');
      case 'startArray':
        return startValue(token, 'array');
      case 'endObject':
      case 'endArray':
        return endContainer();
      case 'keyValue': {
        const frame = stack.at(-1)!;
        frame.key = token.value;
        if (frame.keys && frame.keys.length < 20) frame.keys.push(token.value);
        return;
      }
      default:
        return startValue(token, 'scalar');
    }
  };

  const feed = (text: string | typeof none) => {
    const tokens = parse(text as string) as unknown;
    if (tokens === none || tokens === undefined) return;
    const list = (tokens as { values?: Token[] }).values;
    if (list) for (const token of list) onToken(token);
    else onToken(tokens as Token);
  };

  let bytesRead = 0;
  try {
    // 64 KiB at a time: each chunk becomes tens of thousands of tokens at once (1 MiB chunks
    // doubled the reader's peak memory, to 180 MB on a 50 MB document).
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 16 }) as AsyncIterable<Buffer>) {
      let text: string;
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        throw await invalidUtf8(file, bytesRead, chunk);
      }
      // A byte-order mark is not JSON, but editors write one: the whole-document reader drops it too.
      if (bytesRead === 0 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      bytesRead += chunk.length;
      feed(text);
      yielded += ready.length;
      if (ready.length > 0) yield* ready.splice(0);
    }
    feed(none);
  } catch (error) {
    if (error instanceof FileFormatError) throw error;
    throw await syntaxError(file, error);
  }
  yielded += ready.length;
  if (ready.length > 0) yield* ready.splice(0);
  // A request with no spans is a request all the same, as when the document is read whole.
  if (yielded === 0) yield { resourceSpans: [] };
}

/**
 * Strings of a value as copies of their own: the parser cuts each from the chunk of text it is
 * reading, and V8 keeps a cut of 13 or more characters as a view of the whole chunk. Strings
 * kept after their trace was written (by the run's tally of what was written) then kept their
 * 64 KiB chunks alive, and the import of a 200 MB document peaked at 518 MB, against 252 MB for
 * the same spans as JSON Lines, which JSON.parse reads into strings of their own.
 */
function keepOwnStrings(_key: string, value: unknown): unknown {
  return typeof value === 'string' ? detachString(value) : value;
}

/** A scalar token's value, as JSON.parse gives it. */
function scalarValue(token: Token): unknown {
  switch (token.name) {
    case 'numberValue':
      return Number(token.value);
    case 'stringValue':
    case 'nullValue':
    case 'trueValue':
    case 'falseValue':
      return token.value;
    default:
      return undefined;
  }
}

/** Where the bytes stop being UTF-8, as a line and column of the file. */
async function invalidUtf8(file: string, chunkStart: number, chunk: Buffer): Promise<FileFormatError> {
  const at = chunkStart + firstInvalidUtf8Byte(chunk);
  let line = 1;
  let lineStart = 0;
  let offset = 0;
  for await (const bytes of createReadStream(file, { end: Math.max(at - 1, 0), highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) {
      line++;
      lineStart = offset + i + 1;
    }
    offset += bytes.length;
  }
  return new FileFormatError({ file, line, column: at - lineStart + 1 }, 'invalid UTF-8: the file must be UTF-8 text');
}

/** The parser's error, placed: stream-json's verifier reads the file again to find the line and column. */
async function syntaxError(file: string, error: unknown): Promise<FileFormatError> {
  if (error instanceof RangeError && /maxPackedLength/.test(error.message))
    return new FileFormatError(
      { file },
      `a string or number is longer than ${VALUE_LIMITS.stringLength} characters, more than a trace may hold`,
      {
        cause: error,
      },
    );
  const verify = jsonVerifier({ jsonStreaming: true });
  let length = 0;
  try {
    let first = true;
    for await (let text of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 }) as AsyncIterable<string>) {
      if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
      length += text.length;
      verify(text);
    }
    verify(none as unknown as string);
  } catch (located) {
    const { line, pos, offset } = located as VerifierError;
    if (typeof line === 'number') {
      // "ERROR at 207 (12, 13): Verifier cannot parse input: expected ','": the place is said once, by the location.
      const what = errorMessage(located).replace(/^ERROR at \d+ \(\d+, \d+\): (Verifier cannot parse input: )?/, '');
      const detail = offset >= length ? `truncated JSON: the input ends before the document does (${what})` : `malformed JSON: ${what}`;
      return new FileFormatError({ file, line, column: pos }, detail, { cause: error });
    }
  }
  return new FileFormatError({ file }, `malformed JSON: ${errorMessage(error)}`, { cause: error });
}
