import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parseJsonText } from '../json/parse-json.ts';

/**
 * A JSON Lines dataset's examples, counted (for progress) once every non-blank line is known to
 * be JSON. Checked before a run is made: a broken line would otherwise surface as the
 * evaluation script's own `JSON.parse` error, with no file or line, and a failed run. Datasets
 * in other formats are the script's to read, and are not counted.
 */
export async function checkDataset(file: string): Promise<number | undefined> {
  if (!existsSync(file) || !/\.jsonl$/i.test(file)) return undefined;
  const lines = (await readFile(file, 'utf8')).split('\n');
  let examples = 0;
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    parseJsonText(line, { file, line: index + 1 });
    examples++;
  }
  return examples;
}
