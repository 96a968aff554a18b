import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CRUISER = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');

/** The checker as `npm run lint:deps` runs it, from `cwd`: its exit code and report. */
async function cruise(cwd: string, paths: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CRUISER, '--config', CONFIG, ...paths], { cwd });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

function write(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

describe('the layers (dependency-cruiser, .dependency-cruiser.cjs)', () => {
  it('hold in this repository: schemas ← src ← cli / action / site, no cycles of modules or folders', async () => {
    const { code, output } = await cruise(ROOT, ['schemas', 'src', 'action/src', 'site']);
    expect(output).toMatch(/no dependency violations found/);
    expect(code).toBe(0);
  });

  it('refuse a library module that imports the CLI or the site, a folder cycle and a missing module', async () => {
    const dir = tempDir('labbook-layers-');
    write(dir, {
      'tsconfig.json': JSON.stringify({
        compilerOptions: { module: 'ESNext', moduleResolution: 'Bundler', allowImportingTsExtensions: true, noEmit: true },
      }),
      'src/cli/table.ts': 'export const table = 1;\n',
      'src/compare/render.ts':
        "import { table } from '../cli/table.ts';\nimport { page } from '../../site/page.ts';\nexport const render = table + page;\n",
      'site/page.ts': 'export const page = 2;\n',
      'src/annotations/load.ts': "import { problem } from '../validate/problem.ts';\nexport const load = problem;\n",
      'src/validate/problem.ts': 'export const problem = 3;\n',
      'src/validate/check.ts': "import { load } from '../annotations/load.ts';\nexport const check = load;\n",
      'src/store/read.ts': "import { gone } from './gone.ts';\nexport const read = gone;\n",
    });
    const { code, output } = await cruise(dir, ['src', 'site']);
    expect(code).not.toBe(0);
    expect(output).toMatch(/library-stays-below-its-callers: src\/compare\/render\.ts → src\/cli\/table\.ts/);
    expect(output).toMatch(/library-stays-below-its-callers: src\/compare\/render\.ts → site\/page\.ts/);
    expect(output).toMatch(/no-folder-cycles: src\/(annotations|validate)/);
    expect(output).toMatch(/no-unresolvable: src\/store\/read\.ts → \.\/gone\.ts/);
  });
});
