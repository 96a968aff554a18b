import type { Node } from 'yaml';

/**
 * The `yaml` package, loaded on first use: only a problem to point at needs its source ranges,
 * and loading it (about 35 ms, 60 modules) would otherwise open every command, `labbook run`'s
 * start before its command is spawned included. A dynamic import, which bundlers follow (the
 * action's bundle carries the package; a `require` made at run time would look for it beside
 * the bundle), so the finders below are asynchronous.
 */
const loadYaml = () => import('yaml');

/** 1-based line and column of a place in a YAML text. */
export interface TextPosition {
  line: number;
  column: number;
}

/**
 * A finder for where the value at a path (`['collect', 'labels', 1]`) starts in a YAML text, so
 * a problem in a queue file or experiment.yaml can name its line. The `yaml` package keeps each node's source
 * range; a path it cannot follow (a missing key, a document with errors) gives the nearest
 * parent that exists, and the file alone when there is none. Call it only on text `parseYaml`
 * has accepted (its depth is then bounded).
 */
export async function yamlPathPositions(text: string): Promise<(path: readonly PropertyKey[]) => TextPosition | undefined> {
  const { isCollection, LineCounter, parseDocument } = await loadYaml();
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, schema: 'core', uniqueKeys: false });
  const broken = document.errors.length > 0;
  return (path) => {
    if (broken) return undefined;
    for (let depth = path.length; depth > 0; depth--) {
      const keys = path.slice(0, depth).map((key) => (typeof key === 'number' ? key : String(key)));
      const parent = depth === 1 ? document.contents : document.getIn(keys.slice(0, -1), true);
      const node = isCollection(parent) ? (parent.get(keys[keys.length - 1], true) as Node | undefined) : undefined;
      const offset = node?.range?.[0];
      if (offset !== undefined) {
        const { line, col } = lines.linePos(offset);
        return { line, column: col };
      }
    }
    return undefined;
  };
}

/** Where a top-level key itself is written (a misspelt key's value may sit lines below it). */
export async function yamlKeyPosition(text: string, key: string): Promise<TextPosition | undefined> {
  const { isMap, isScalar, LineCounter, parseDocument } = await loadYaml();
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines });
  if (!isMap(document.contents)) return undefined;
  const pair = document.contents.items.find((item) => isScalar(item.key) && String(item.key.value) === key);
  const offset = pair && isScalar(pair.key) ? pair.key.range?.[0] : undefined;
  if (offset === undefined) return undefined;
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}
