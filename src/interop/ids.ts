const HEX = /^[0-9a-fA-F]+$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;
const ZEROS = /^0+$/;

/**
 * Normalises a trace or span id to lower-case hex, the form of OTLP's JSON mapping.
 *
 * - hex of 16 or 32 digits, with or without a `0x` prefix (MLflow v2 writes one), is lower-cased;
 * - base64 that decodes to 8 or 16 bytes (protobuf's default JSON for bytes, MLflow v3) is
 *   re-encoded as hex: the lengths never collide, since base64 of 8 bytes is 12 characters;
 * - bytes (protobuf input, decoded) are written as hex;
 * - anything else (an MLflow `tr-…` id, a hand-written id) is kept as written.
 *
 * Returns null for a missing, empty or all-zero id: OTLP writes zeros for "no parent".
 */
export function normaliseId(raw: unknown): string | null {
  // Almost every id is already in the normal form: checked in place, without regexes or copies.
  if (typeof raw === 'string' && (raw.length === 16 || raw.length === 32) && isLowerHexNotZero(raw)) return raw;
  if (raw === undefined || raw === null) return null;
  // Protobuf's bytes as decoded (a view into the request): made hex directly.
  // Three per span: the zeros are found in the bytes, and a Buffer (what protobufjs gives in
  // Node) is made hex without another view of it.
  if (raw instanceof Uint8Array) {
    if (allZero(raw)) return null;
    return (Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.length)).toString('hex');
  }
  let text = typeof raw === 'string' ? raw.trim() : String(raw);
  if (text === '') return null;
  if (text.startsWith('0x') || text.startsWith('0X')) text = text.slice(2);
  if (HEX.test(text) && (text.length === 16 || text.length === 32)) return ZEROS.test(text) ? null : text.toLowerCase();
  if ((text.length === 12 || text.length === 24) && BASE64.test(text)) {
    const bytes = Buffer.from(text, 'base64');
    if (bytes.length === 8 || bytes.length === 16) {
      const hex = bytes.toString('hex');
      return ZEROS.test(hex) ? null : hex;
    }
  }
  if (HEX.test(text)) return ZEROS.test(text) ? null : text.toLowerCase();
  return text;
}

/** True for no bytes, or only zeros. */
function allZero(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

function isLowerHexNotZero(text: string): boolean {
  let zero = true;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 48) continue; // '0'
    if (!((code > 48 && code <= 57) || (code >= 97 && code <= 102))) return false;
    zero = false;
  }
  return !zero;
}

/** True for an id OTLP accepts as written: `digits` lower-case hex digits, not all zero. */
export function isOtlpHexId(id: string, digits: 16 | 32): boolean {
  return id.length === digits && HEX.test(id) && id === id.toLowerCase() && !ZEROS.test(id);
}
