import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('ESLint (eslint.config.js)', () => {
  const eslint = new ESLint({ cwd: ROOT });

  it('passes on the repository', async () => {
    const results = await eslint.lintFiles(['.']);
    const problems = results.flatMap((r) =>
      r.messages.map((m) => `${r.filePath.slice(ROOT.length + 1)}:${m.line}:${m.column} ${m.ruleId ?? ''} ${m.message}`),
    );
    expect(problems).toEqual([]);
    expect(results.length).toBeGreaterThan(300);
  }, 180_000); // every file of the repository: past the default minute when the machine is loaded

  it('refuses an (error as Error).message cast, an unused import and an explicit any in the library', async () => {
    const code = [
      "import { join } from 'node:path';",
      'export function f(value: any): string {',
      '  try {',
      '    return String(value);',
      '  } catch (error) {',
      '    return (error as Error).message;',
      '  }',
      '}',
      '',
    ].join('\n');
    const [result] = await eslint.lintText(code, { filePath: join(ROOT, 'src', 'lint-probe.ts') });
    expect(result!.messages.map((m) => m.ruleId).sort()).toEqual([
      '@typescript-eslint/no-explicit-any',
      '@typescript-eslint/no-unused-vars',
      'no-restricted-syntax',
    ]);
    expect(result!.messages.find((m) => m.ruleId === 'no-restricted-syntax')!.message).toMatch(/errorMessage/);
  });
});
