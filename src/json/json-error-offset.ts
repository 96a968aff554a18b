/**
 * The offset at which JSON text stops being valid, or `text.length` when it ends too early,
 * or -1 when it is valid. V8's `JSON.parse` names a position only for some errors ("Unexpected
 * token 'o', …" has none), so after a failure this scanner finds it. It keeps an explicit
 * stack instead of recursing, so deeply nested input cannot overflow it. Only called on the
 * error path: speed does not matter.
 */
export function jsonErrorOffset(text: string): number {
  const stack: Array<'object' | 'array'> = [];
  let i = skipSpace(text, 0);
  // What may come next: a value, a key (or `}` for an empty object), a `,` or closing bracket.
  let expect: 'value' | 'value-or-close' | 'key' | 'key-or-close' | 'colon' | 'comma-or-close' = 'value';
  for (;;) {
    if (i >= text.length) return stack.length > 0 || expect === 'value' ? text.length : -1;
    const c = text[i]!;
    switch (expect) {
      case 'colon':
        if (c !== ':') return i;
        i = skipSpace(text, i + 1);
        expect = 'value';
        continue;
      case 'comma-or-close': {
        const top = stack.at(-1);
        if (c === ',' && top) {
          i = skipSpace(text, i + 1);
          expect = top === 'object' ? 'key' : 'value';
          continue;
        }
        if ((c === '}' && top === 'object') || (c === ']' && top === 'array')) {
          stack.pop();
          i = skipSpace(text, i + 1);
          if (stack.length === 0) return i < text.length ? i : -1;
          continue;
        }
        return i;
      }
      case 'key':
      case 'key-or-close':
        if (c === '}' && expect === 'key-or-close') {
          stack.pop();
          i = skipSpace(text, i + 1);
          if (stack.length === 0) return i < text.length ? i : -1;
          expect = 'comma-or-close';
          continue;
        }
        if (c !== '"') return i;
        i = scanString(text, i);
        if (i < 0) return -i - 1;
        i = skipSpace(text, i);
        expect = 'colon';
        continue;
      case 'value':
      case 'value-or-close': {
        if (c === ']' && expect === 'value-or-close') {
          stack.pop();
          i = skipSpace(text, i + 1);
          if (stack.length === 0) return i < text.length ? i : -1;
          expect = 'comma-or-close';
          continue;
        }
        if (c === '{' || c === '[') {
          stack.push(c === '{' ? 'object' : 'array');
          i = skipSpace(text, i + 1);
          expect = c === '{' ? 'key-or-close' : 'value-or-close';
          continue;
        }
        const end = c === '"' ? scanString(text, i) : scanLiteral(text, i);
        if (end < 0) return -end - 1;
        i = skipSpace(text, end);
        if (stack.length === 0) return i < text.length ? i : -1;
        expect = 'comma-or-close';
        continue;
      }
    }
  }
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  return i;
}

/** The offset after a string starting at `i`, or `-(error offset) - 1`. */
function scanString(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x22) return j + 1;
    if (c < 0x20) return -j - 1;
    if (c === 0x5c) {
      const next = text[j + 1];
      if (next === undefined) return -text.length - 1;
      if (next === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(j + 2, j + 6))) return -Math.min(j + 2, text.length) - 1;
        j += 5;
      } else if ('"\\/bfnrt'.includes(next)) {
        j += 1;
      } else {
        return -(j + 1) - 1;
      }
    }
  }
  return -text.length - 1;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** The offset after `true`, `false`, `null` or a number at `i`, or `-(error offset) - 1`. */
function scanLiteral(text: string, i: number): number {
  for (const word of ['true', 'false', 'null']) {
    if (text.startsWith(word, i)) return i + word.length;
    if (word.startsWith(text.slice(i, i + word.length)) && i + word.length > text.length) return -text.length - 1;
  }
  NUMBER.lastIndex = i;
  const match = NUMBER.exec(text);
  if (!match || match[0].length === 0) return -i - 1;
  const end = i + match[0].length;
  // A number cut off at the end of the input ("1.", "-") is truncation, not a bad character.
  return end;
}
