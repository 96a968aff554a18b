/**
 * Proto3 strings as the OTLP protobuf reader takes them: valid UTF-8, read by Node's decoder,
 * with the short ASCII ones read before taken from a small table instead.
 *
 * An agent's spans repeat the same few dozen short strings (attribute keys, span and model
 * names, operation names) hundreds of thousands of times. Decoding each costs a call into
 * Node (~180 ns) and a new string that lives as long as its span; hashing a short key's bytes
 * in JavaScript and comparing them with the string in the table costs a fraction of that, and
 * every span then holds the one string, which V8 has already made a property name. The table
 * is direct-mapped: a string whose slot another string took is decoded again, never mistaken,
 * since the bytes are compared before the string is used.
 */
const SLOTS = 4096; // a power of two: the slot is the hash's low bits
const MAX_CACHED_BYTES = 48;
const table: Array<string | undefined> = new Array<string | undefined>(SLOTS).fill(undefined);

/** Node's UTF-8 decoder of a Buffer's range, which @types/node does not declare. */
type Utf8Slicing = { utf8Slice(start: number, end: number): string };

/**
 * The string of `buf[start, end)`, or undefined when those bytes are not valid UTF-8 or hold a
 * U+FFFD (Node's decoder writes one for each invalid sequence: the caller reads those bytes
 * with a decoder that tells them apart).
 */
export function readUtf8(buf: Buffer, start: number, end: number): string | undefined {
  const node = buf as unknown as Utf8Slicing;
  const length = end - start;
  if (length > MAX_CACHED_BYTES) return checked(node.utf8Slice(start, end));
  let hash = 0x811c9dc5; // FNV-1a
  let bits = 0;
  for (let i = start; i < end; i++) {
    const byte = buf[i]!;
    bits |= byte;
    hash = Math.imul(hash ^ byte, 0x01000193);
  }
  if (bits > 0x7f) return checked(node.utf8Slice(start, end));
  const slot = hash & (SLOTS - 1);
  const known = table[slot];
  if (known !== undefined && known.length === length && sameAscii(known, buf, start)) return known;
  const text = node.utf8Slice(start, end);
  table[slot] = text;
  return text;
}

function sameAscii(text: string, buf: Buffer, start: number): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) !== buf[start + i]) return false;
  return true;
}

function checked(text: string): string | undefined {
  return text.includes('\uFFFD') ? undefined : text;
}
