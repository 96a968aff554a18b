/** The fields of a new annotation, before it has a file and a line. */
export interface NewAnnotation {
  run: string;
  trace: string;
  name: string;
  value: number | string;
  author: string;
  at: string;
  note?: string;
}

const FIELD_ORDER = ['run', 'trace', 'name', 'value', 'author', 'at', 'note'] as const;

/**
 * One annotation as a YAML list item (`- run: ...` and indented fields, ending in a newline),
 * ready to be appended to an annotation file or to fill GitHub's new-file page. Text is written
 * plain when no YAML reader could mistake it for anything else, otherwise double-quoted with
 * escapes, so every string comes back exactly as given. No Node imports: the site uses it.
 */
export function annotationEntryYaml(entry: NewAnnotation): string {
  const lines: string[] = [];
  for (const field of FIELD_ORDER) {
    const value = entry[field];
    if (value === undefined) continue;
    lines.push(`${lines.length === 0 ? '-' : ' '} ${field}: ${yamlScalar(value)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A number as YAML reads it back (finite numbers only: callers check), or a string. */
function yamlScalar(value: number | string): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
    return Object.is(value, -0) ? '0' : String(value);
  }
  return isPlainSafe(value) ? value : doubleQuoted(value);
}

/** Words any YAML version reads as something other than text. */
const RESERVED = new Set(['true', 'false', 'null', 'yes', 'no', 'on', 'off', 'y', 'n', 'nan', 'inf']);

function isPlainSafe(text: string): boolean {
  return /^[A-Za-z_](?:[A-Za-z0-9_ ./-]*[A-Za-z0-9_./-])?$/.test(text) && !text.includes('  ') && !RESERVED.has(text.toLowerCase());
}

function doubleQuoted(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const ch = text[i]!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (needsEscape(code, text, i)) out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Control characters, line/paragraph separators, BOM, bidi controls and lone surrogates. */
function needsEscape(code: number, text: string, i: number): boolean {
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
  if (code === 0x2028 || code === 0x2029 || code === 0xfeff) return true;
  if ((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069)) return true;
  if (code >= 0xd800 && code <= 0xdbff) {
    const next = text.charCodeAt(i + 1);
    return !(next >= 0xdc00 && next <= 0xdfff);
  }
  if (code >= 0xdc00 && code <= 0xdfff) {
    const prev = text.charCodeAt(i - 1);
    return !(prev >= 0xd800 && prev <= 0xdbff);
  }
  return false;
}
