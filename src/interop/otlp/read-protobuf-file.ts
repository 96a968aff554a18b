import { open, readFile, stat } from 'node:fs/promises';
import { FileFormatError } from '../../errors/index.ts';
import { decodeTraceRequestInParts, ProtobufDecodeError } from './protobuf-codec.ts';

/**
 * Larger than any one request an exporter sends; a whole-file message beyond it is refused. A
 * message is read into memory whole (its bytes, not its decoded spans: those come out a
 * thousand at a time), so this bounds what one message costs.
 */
const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

/**
 * Whether a file holds OTLP protobuf rather than JSON, from its first 64 bytes. JSON text starts
 * with `{` or `[` after white space (and an optional BOM) and holds no control bytes but tab,
 * line feed and carriage return, even inside strings. Protobuf starts with a field tag (0x0A,
 * which is also a line feed) and soon holds lengths and tags below 0x20: a file that is not
 * such JSON is read as protobuf, whose decoder then says precisely what is wrong.
 */
export async function looksLikeProtobuf(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(64);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
    while (i < bytesRead && (head[i] === 0x20 || head[i] === 0x09 || head[i] === 0x0a || head[i] === 0x0d)) i++;
    if (i >= bytesRead || (head[i] !== 0x7b && head[i] !== 0x5b)) return bytesRead > 0;
    for (let j = 0; j < bytesRead; j++) {
      const byte = head[j]!;
      if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) return true;
    }
    return false;
  } finally {
    await handle.close();
  }
}

/**
 * Whether a file's first byte can start OTLP protobuf: the tag 0x0A of a single request, or the
 * first byte of a big-endian size prefix, which is at most 0x10 under MAX_MESSAGE_BYTES.
 */
export function canStartProtobuf(firstByte: number): boolean {
  return firstByte === 0x0a || firstByte <= MAX_MESSAGE_BYTES / 2 ** 24;
}

/**
 * The requests of an OTLP protobuf file: one `ExportTraceServiceRequest`, or a sequence of
 * them each preceded by its size as a 4-byte big-endian number (the OpenTelemetry Collector's
 * file exporter with `format: proto`). Each is decoded as it is reached, and yielded as
 * requests of at most a thousand spans (decodeTraceRequestInParts), so even a single message
 * holding a whole file is never one tree of decoded spans.
 */
export async function* readProtobufRequests(
  file: string,
): AsyncGenerator<{ value: Record<string, unknown>; file: string; message: number }> {
  const size = (await stat(file)).size;
  if (size === 0) throw new FileFormatError({ file }, 'the file is empty');
  const handle = await open(file, 'r');
  try {
    const prefix = Buffer.alloc(4);
    await handle.read(prefix, 0, 4, 0);
    // A request's first byte is its field 1 tag, 0x0A; a size prefix starts with 0x00 for any
    // message under 16 MB, so the first byte tells the two layouts apart.
    const framed = prefix[0] !== 0x0a;
    // Such a file is most often text that is not JSON; saying so beats "message 1 says it is
    // 1852797984 bytes" from reading its letters as a size.
    if (!canStartProtobuf(prefix[0]!)) {
      const start = Buffer.alloc(24);
      const { bytesRead } = await handle.read(start, 0, start.length, 0);
      throw new FileFormatError({ file }, notOtlp(start.subarray(0, bytesRead)));
    }
    if (!framed) {
      if (size > MAX_MESSAGE_BYTES)
        throw new FileFormatError(
          { file },
          `${Math.round(size / 1e6)} MB is too large for one protobuf message; write length-prefixed messages`,
        );
      for (const value of decode(await readFile(file), file, 1, 0)) yield { value, file, message: 1 };
      return;
    }
    let offset = 0;
    for (let message = 1; offset < size; message++) {
      await handle.read(prefix, 0, 4, offset);
      const length = prefix.readUInt32BE(0);
      if (offset + 4 + length > size)
        throw new FileFormatError(
          { file },
          `message ${message} (at byte ${offset}) says it is ${length} bytes, but the file ends first: the file is truncated`,
        );
      if (length > MAX_MESSAGE_BYTES)
        throw new FileFormatError({ file }, `message ${message} is ${length} bytes, over the limit of ${MAX_MESSAGE_BYTES}`);
      const bytes = Buffer.alloc(length);
      await handle.read(bytes, 0, length, offset + 4);
      for (const value of decode(bytes, file, message, offset)) yield { value, file, message };
      offset += 4 + length;
    }
  } finally {
    await handle.close();
  }
}

/** The error of a file that starts as neither JSON nor OTLP protobuf, quoting its start when that is text. */
function notOtlp(start: Buffer): string {
  const text = start.toString('latin1').split(/\r?\n/)[0]!;
  const shown = /^[\x20-\x7e]+$/.test(text)
    ? `"${text}${text.length < start.length ? '' : '…'}"`
    : `the bytes ${[...start.subarray(0, 4)].map((byte) => byte.toString(16).padStart(2, '0')).join(' ')}`;
  return `is neither JSON nor OTLP protobuf: it starts with ${shown}, where JSON starts with { or [ and protobuf with the byte 0a or a 4-byte message size`;
}

function* decode(bytes: Buffer, file: string, message: number, offset: number): Generator<Record<string, unknown>> {
  try {
    yield* decodeTraceRequestInParts(bytes);
  } catch (error) {
    if (error instanceof ProtobufDecodeError)
      throw new FileFormatError({ file }, `protobuf message ${message} (at byte ${offset}): ${error.message}`);
    throw error;
  }
}
