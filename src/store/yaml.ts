import yaml from 'js-yaml';
import { FileFormatError } from '../errors/index.ts';

/**
 * Parses YAML text as data. Duplicate keys are errors (js-yaml's default); aliases are refused
 * unless `allowAliases`, since a few aliases can expand into gigabytes once serialised.
 * Errors name the file, line and column.
 */
export function parseYaml(text: string, file: string, options: { allowAliases?: boolean } = {}): unknown {
  try {
    const value = yaml.load(text, { filename: file, schema: yaml.CORE_SCHEMA });
    if (!options.allowAliases && sharesObjects(value)) {
      throw new FileFormatError({ file }, 'YAML aliases (*name) of mappings or lists are not allowed');
    }
    return value;
  } catch (error) {
    if (error instanceof FileFormatError) throw error;
    if (error instanceof yaml.YAMLException) {
      const mark = error.mark;
      throw new FileFormatError(
        { file, line: mark ? mark.line + 1 : undefined, column: mark ? mark.column + 1 : undefined },
        `invalid YAML: ${error.reason}`,
        { cause: error },
      );
    }
    throw error;
  }
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

/** Parses YAML that must be a mapping (an object), e.g. an agent config or `experiment.yaml`. */
export function parseYamlMapping(text: string, file: string): Record<string, unknown> {
  const value = parseYaml(text, file);
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
