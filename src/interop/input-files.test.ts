import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir.ts';
import { listInputFiles } from './input-files.ts';

describe('the files an import reads', () => {
  it('takes every extension the help names from a folder, sorted, and not from folders inside it', async () => {
    const dir = tempDir('labbook-input-files-');
    for (const name of ['b.jsonl', 'a.json', 'c.ndjson', 'd.pb', 'e.binpb', 'notes.txt']) writeFileSync(join(dir, name), '');
    mkdirSync(join(dir, 'inner'));
    writeFileSync(join(dir, 'inner', 'f.json'), '');
    expect(await listInputFiles(dir)).toEqual(['a.json', 'b.jsonl', 'c.ndjson', 'd.pb', 'e.binpb'].map((name) => join(dir, name)));
  });

  it('says which extensions a folder with none of them lacks', async () => {
    const dir = tempDir('labbook-input-files-');
    writeFileSync(join(dir, 'notes.txt'), '');
    await expect(listInputFiles(dir)).rejects.toThrow(
      `file not found: ${dir} (the folder holds no .json, .jsonl, .ndjson, .pb or .binpb file; folders inside it are not read)`,
    );
  });
});
