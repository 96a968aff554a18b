import yaml from 'js-yaml';
import { findBoundsViolation, formatFieldPath, VALUE_LIMITS } from '../../schemas/value-limits.ts';
import { FileFormatError } from '../errors/index.ts';

/**
 * Parses YAML text as data. Duplicate keys are errors (js-yaml's default); aliases are refused
 * unless `allowAliases`, since a few aliases can expand into gigabytes once serialised; a
 * document past `VALUE_LIMITS` (too deep, too long) is refused before anything walks it.
 * Errors name the file, line and column.
 *
 * Untrusted text is parsed with js-yaml, not the `yaml` package: `yaml` runs the process out
 * of memory (a fatal error no catch sees) on 20,000 nested `[` in a 20 KB file, where js-yaml
 * fails with a catchable error. `yaml` reads positions only from text this has accepted
 * (annotations/list-item-positions.ts), whose depth is then bounded.
 */
export function parseYaml(text: string, file: string, options: { allowAliases?: boolean } = {}): unknown {
  if (text.length > VALUE_LIMITS.fileBytes) {
    throw new FileFormatError({ file }, `${text.length} characters, over the limit of ${VALUE_LIMITS.fileBytes} for a YAML file`);
  }
  const aliases = aliasLocator();
  let value: unknown;
  try {
    value = yaml.load(text, { filename: file, schema: yaml.CORE_SCHEMA, listener: aliases.listener });
  } catch (error) {
    if (error instanceof yaml.YAMLException) {
      const mark = error.mark;
      throw new FileFormatError(
        { file, line: mark ? mark.line + 1 : undefined, column: mark ? mark.column + 1 : undefined },
        `invalid YAML: ${error.reason}`,
        { cause: error },
      );
    }
    // js-yaml's parser recurses: a document nested tens of thousands of levels overflows it.
    if (error instanceof RangeError) {
      throw new FileFormatError({ file, line: aliases.lastLine() }, `nested too deep to read (the limit is ${VALUE_LIMITS.depth} levels)`, {
        cause: error,
      });
    }
    throw error;
  }
  if (!options.allowAliases && sharesObjects(value)) {
    const at = aliases.first();
    throw new FileFormatError(
      { file, ...(at ? lineAndColumn(text, at) : {}) },
      'YAML aliases (*name) of mappings or lists are not allowed',
    );
  }
  const violation = findBoundsViolation(value);
  if (violation) throw new FileFormatError({ file, field: formatFieldPath(violation.path) || undefined }, violation.message);
  return value;
}

/**
 * Watches js-yaml's node events for the first node whose value is an object already built:
 * an alias. Only used to say where, once `sharesObjects` has decided that there is one.
 */
function aliasLocator() {
  const starts: number[] = [];
  const built = new WeakSet<object>();
  let first: number | undefined;
  let position = 0;
  let line = 0;
  return {
    listener(event: 'open' | 'close', state: { position: number; line: number; result: unknown }) {
      position = state.position;
      line = state.line;
      if (event === 'open') {
        starts.push(state.position);
        return;
      }
      const start = starts.pop();
      const result = state.result;
      if (first !== undefined || result === null || typeof result !== 'object') return;
      if (built.has(result)) first = start;
      else built.add(result);
    },
    first: () => first,
    lastLine: () => (position > 0 ? line + 1 : undefined),
  };
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  // js-yaml opens a node at the whitespace before it; point at the alias itself.
  while (offset < text.length && /\s/.test(text[offset]!)) offset++;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/**
 * js-yaml resolves an alias to the very object its anchor made, so a mapping or list reached
 * twice means an alias was used; this walk finds it without re-reading the text.
 */
function sharesObjects(root: unknown): boolean {
  const seen = new Set<object>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (value === null || typeof value !== 'object') continue;
    if (seen.has(value)) return true;
    seen.add(value);
    for (const child of Object.values(value)) stack.push(child);
  }
  return false;
}

/**
 * Parses YAML that must be a mapping (an object), e.g. an agent config or `experiment.yaml`.
 * `emptyAllowed`: an empty document (no content, or only comments) is an empty mapping.
 */
export function parseYamlMapping(text: string, file: string, { emptyAllowed = false } = {}): Record<string, unknown> {
  const value = parseYaml(text, file);
  if (emptyAllowed && (value === null || value === undefined)) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const got = value === null || value === undefined ? 'an empty document' : Array.isArray(value) ? 'a list' : `a ${typeof value}`;
    throw new FileFormatError({ file, line: 1 }, `expected a YAML mapping (key: value lines), got ${got}`);
  }
  return value as Record<string, unknown>;
}

/** Serialises data as YAML that round-trips through `parseYaml` (no aliases, no line folding). */
export function toYaml(value: unknown): string {
  return yaml.dump(value, { noRefs: true, lineWidth: -1, sortKeys: false });
}
