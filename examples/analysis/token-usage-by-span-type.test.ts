import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeRun } from '../../test/helpers/analysis-store.ts';
import { tempDir } from '../../test/helpers/temp-dir.ts';

const ROOT = join(import.meta.dirname, '..', '..');

describe('examples/analysis/token-usage-by-span-type.ts', () => {
  it('writes a Vega-Lite spec with the two runs’ tokens by span type, and its SVG', async () => {
    const root = tempDir('labbook-example-');
    const dataDir = join(root, 'experiments');
    const a = await writeRun(root, dataDir, { variant: 0, traces: 12 });
    const b = await writeRun(root, dataDir, { variant: 1, traces: 12 });
    const out = join(root, 'chart');
    const stdout = execFileSync(
      process.execPath,
      [
        join(ROOT, 'bin', 'tsx.js'),
        join(ROOT, 'examples', 'analysis', 'token-usage-by-span-type.ts'),
        a.id,
        b.id,
        '--data',
        dataDir,
        '--out',
        out,
      ],
      { encoding: 'utf8' },
    );

    // LLM spans of trace i: input 100 + i + 50·variant, output 20 + (i % 7); i = 1..12.
    const input = (variant: number) => Array.from({ length: 12 }, (_, k) => 100 + k + 1 + 50 * variant).reduce((x, y) => x + y);
    const output = Array.from({ length: 12 }, (_, k) => 20 + ((k + 1) % 7)).reduce((x, y) => x + y);
    const spec = JSON.parse(readFileSync(join(out, 'token-usage-by-span-type.vl.json'), 'utf8'));
    const values = spec.data.values as Array<{ run: string; type: string; kind: string; tokens: number }>;
    expect(values.map((v) => [v.run.slice(-a.id.length - 1, -1), v.type, v.kind, v.tokens])).toEqual([
      [a.id, 'LLM', 'input', input(0)],
      [a.id, 'LLM', 'output', output],
      [b.id, 'LLM', 'input', input(1)],
      [b.id, 'LLM', 'output', output],
    ]);
    const svg = readFileSync(join(out, 'token-usage-by-span-type.svg'), 'utf8');
    expect(svg).toMatch(/^<svg[^>]+xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toContain('>LLM</text>');
    const change = ((input(1) + output - (input(0) + output)) / (input(0) + output)) * 100;
    expect(stdout).toMatch(
      new RegExp(
        `LLM\\s+${(input(0) + output).toLocaleString('en-US')}\\s+${(input(1) + output).toLocaleString('en-US')}\\s+\\+${change.toFixed(1)}%`,
      ),
    );
  });
});
