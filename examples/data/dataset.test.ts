import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDataset } from '../agent/dataset.ts';
import { loadKnowledgeBase } from '../agent/knowledge-base.ts';
import { DATA_DIR } from '../agent/load-agent.ts';
import { ProductTable } from '../agent/product-table.ts';
import { generateDataset } from './generate-dataset.ts';

const passages = loadKnowledgeBase(join(DATA_DIR, 'knowledge'));
const table = ProductTable.load(join(DATA_DIR, 'table.csv'));

describe('dataset.jsonl', () => {
  it('is what generate-dataset.ts writes (run it after editing the knowledge base or table)', () => {
    const generated =
      generateDataset(passages, table)
        .map((example) => JSON.stringify(example))
        .join('\n') + '\n';
    expect(readFileSync(join(DATA_DIR, 'dataset.jsonl'), 'utf8')).toBe(generated);
  });

  it('has unique ids, and every retrieval answer is quoted from its source passage', () => {
    const examples = readDataset(join(DATA_DIR, 'dataset.jsonl'));
    expect(new Set(examples.map((example) => example.id)).size).toBe(examples.length);
    for (const example of examples.filter((e) => e.category === 'retrieval')) {
      expect(passages.find((passage) => passage.id === example.source)?.text).toContain(example.expected);
    }
  });

  it('holds a knowledge base and table of the intended size', () => {
    expect(passages.length).toBeGreaterThanOrEqual(60);
    expect(passages.length).toBeLessThanOrEqual(120);
    expect(table.rows.length).toBe(30);
  });
});

describe('readDataset', () => {
  it('names the file, line and field of a bad row', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'demo-dataset-')), 'bad.jsonl');
    writeFileSync(
      file,
      '{"id":"a","input":{"question":"q"},"expected":"x","category":"lookup"}\n\n{"id":"b","input":{},"expected":"x","category":"lookup"}\n',
    );
    expect(() => readDataset(file)).toThrow(/bad\.jsonl:3: input\.question: /);
    writeFileSync(file, '{"id":"a",\n');
    expect(() => readDataset(file)).toThrow(/bad\.jsonl:1: not valid JSON/);
  });
});
