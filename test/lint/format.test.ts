import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PRETTIER = join(ROOT, 'node_modules', 'prettier', 'bin', 'prettier.cjs');

describe('Prettier (.prettierrc.json)', () => {
  it('finds every formatted file of the repository as it would write it', async () => {
    // `--list-different` prints each file whose layout differs and exits 1; `npm run format` fixes them.
    const listed = await promisify(execFile)(process.execPath, [PRETTIER, '--list-different', '.'], {
      cwd: ROOT,
      maxBuffer: 16 << 20,
    }).then(
      ({ stdout }) => stdout,
      (error: { stdout?: string; stderr?: string }) => `${error.stdout ?? ''}${error.stderr ?? ''}`,
    );
    expect(listed.trim().split('\n').filter(Boolean)).toEqual([]);
  }, 180_000); // every file of the repository: past the default minute when the machine is loaded

  it('would refuse a file laid out by hand, and leaves data and generated files alone', async () => {
    const file = join(ROOT, 'src', 'format-probe.ts');
    const options = { ...(await prettier.resolveConfig(file)), filepath: file };
    expect(await prettier.check('export const  a = {b:1}\n', options)).toBe(false);
    expect(await prettier.check('export const a = { b: 1 };\n', options)).toBe(true);
    for (const kept of [
      'schemas/json/trace.schema.json',
      'src/interop/otlp/proto/embedded.ts',
      'experiments/x/runs/y/run.json',
      'README.md',
    ]) {
      expect((await prettier.getFileInfo(join(ROOT, kept), { ignorePath: join(ROOT, '.prettierignore') })).ignored, kept).toBe(true);
    }
  });
});
