import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { NotFoundError } from '../errors/index.ts';

const INPUT_FILE = /\.(json|jsonl|ndjson|pb|binpb)$/i;

/**
 * The files an import reads: each file named, and for a folder its `.json`, `.jsonl`,
 * `.ndjson` files and OTLP protobuf `.pb`/`.binpb` files (not recursive), sorted by name so
 * imports are reproducible. What a file holds is told by its content, not its name.
 */
export async function listInputFiles(pathOrPaths: string | readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of typeof pathOrPaths === 'string' ? [pathOrPaths] : pathOrPaths) {
    let info;
    try {
      info = await stat(path);
    } catch {
      throw new NotFoundError('file', path);
    }
    if (!info.isDirectory()) {
      files.push(path);
      continue;
    }
    const names = (await readdir(path, { withFileTypes: true }))
      .filter((entry) => entry.isFile() && INPUT_FILE.test(entry.name))
      .map((entry) => entry.name)
      .sort();
    if (names.length === 0)
      throw new NotFoundError(
        'file',
        path,
        'the folder holds no .json, .jsonl, .ndjson, .pb or .binpb file; folders inside it are not read',
      );
    files.push(...names.map((name) => join(path, name)));
  }
  return files;
}
