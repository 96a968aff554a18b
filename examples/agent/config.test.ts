import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileFormatError } from '../../src/errors/index.ts';
import { loadDemoConfig, parseDemoConfig } from './config.ts';
import { parsePassages } from './knowledge-base.ts';

describe('parseDemoConfig', () => {
  it('fills defaults for everything a config leaves out', () => {
    const config = parseDemoConfig({ model: 'sim-large' });
    expect(config.prompts.answer).toBe('{{ answer }}');
    expect(config.params).toMatchObject({ tools: ['calculator'], top_k: 3, strategy: 'extractive', bm25: { k1: 1.2, b: 0.75 } });
  });

  it('names the file and field of a bad value', () => {
    expect(() => parseDemoConfig({ params: { top_k: 0 } }, 'configs/x.yaml')).toThrow(FileFormatError);
    expect(() => parseDemoConfig({ params: { strategy: 'guess' } }, 'configs/x.yaml')).toThrow(
      /^configs\/x\.yaml: params\.strategy: .*"guess"/,
    );
  });

  it('reports the line of broken YAML', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'demo-config-')), 'bad.yaml');
    writeFileSync(file, 'model: sim\nparams:\n  top_k: [1\n');
    expect(() => loadDemoConfig(file)).toThrow(/bad\.yaml:\d+:\d+: invalid YAML/);
  });
});

describe('parsePassages', () => {
  it('makes one passage per ## section, titled and joined across lines', () => {
    const passages = parsePassages('# Shipping\n\n## Express shipping\nFast.\nCosts 18 dollars.\n\n## Carrier\nParcelwing.\n', 'shipping');
    expect(passages).toEqual([
      { id: 'shipping/express-shipping', title: 'Express shipping', text: 'Express shipping. Fast. Costs 18 dollars.' },
      { id: 'shipping/carrier', title: 'Carrier', text: 'Carrier. Parcelwing.' },
    ]);
  });
});
