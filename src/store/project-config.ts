import { readFile } from 'node:fs/promises';
import { parseYamlMapping } from './yaml.ts';

/**
 * labbook.config.yaml as a mapping of its settings, each read where it is used (project-paths.ts
 * checks their names). An empty file, or one whose every line is a comment, sets nothing: every
 * setting keeps its default, as a config file with its settings commented out should.
 */
export function parseProjectConfig(text: string, file: string): Record<string, unknown> {
  return parseYamlMapping(text, file, { emptyAllowed: true });
}

/** Reads and parses labbook.config.yaml (see parseProjectConfig). */
export async function readProjectConfig(file: string): Promise<Record<string, unknown>> {
  return parseProjectConfig(await readFile(file, 'utf8'), file);
}
