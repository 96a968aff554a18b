/**
 * Writes `examples/data/dataset.jsonl` from the knowledge base and the product table, so every
 * expected answer is read from the same files the agent searches. Deterministic (seeded), so
 * re-running it reproduces the committed file byte for byte.
 *
 *   node bin/tsx.js examples/data/generate-dataset.ts
 *
 * Ids are assigned in generation order (retrieval, lookup, calculation, multi-hop); append new
 * questions at the end of a list to keep older ids pointing at the same questions.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadKnowledgeBase, type Passage } from '../agent/knowledge-base.ts';
import { ProductTable } from '../agent/product-table.ts';
import { seededRandom } from '../agent/simulated-model.ts';
import { RETRIEVAL_QUESTIONS } from './retrieval-questions.ts';

export interface Example {
  id: string;
  input: { question: string };
  expected: string;
  category: 'retrieval' | 'calculation' | 'lookup' | 'multi-hop';
  /** Where the answer comes from: a passage id, a table cell, or the arithmetic. */
  source: string;
}
type Draft = Omit<Example, 'id'>;

const here = dirname(fileURLToPath(import.meta.url));

export function generateDataset(passages: readonly Passage[], table: ProductTable): Example[] {
  const random = seededRandom(2024);
  const drafts = [...retrieval(passages), ...lookups(table, random), ...calculations(random), ...multiHop(passages, table, random)];
  return drafts.map((draft, index) => ({ id: `q${String(index + 1).padStart(3, '0')}`, ...draft }));
}

function retrieval(passages: readonly Passage[]): Draft[] {
  return RETRIEVAL_QUESTIONS.map(([passageId, question, pattern]) => {
    const passage = passages.find((candidate) => candidate.id === passageId);
    if (!passage) throw new Error(`retrieval question "${question}": no passage ${passageId}`);
    const match = pattern.exec(passage.text);
    if (!match?.[1]) throw new Error(`retrieval question "${question}": ${pattern} does not match passage ${passageId}`);
    return { input: { question }, expected: match[1], category: 'retrieval', source: passageId };
  });
}

const LOOKUP_PHRASINGS: ReadonlyArray<readonly [column: string, template: string]> = [
  ['price_usd', 'What is the price of the {name}?'],
  ['price_usd', 'How much does the {name} cost?'],
  ['weight_g', 'How much does the {name} weigh in grams?'],
  ['weight_g', 'What is the weight of the {name}?'],
  ['in_stock', 'How many units of the {name} are in stock?'],
  ['rating', 'What is the customer rating of the {name}?'],
  ['sku', 'What is the SKU of the {name}?'],
  ['color', 'What colour is the {name}?'],
  ['warranty_years', 'How long is the warranty on the {name}?'],
];

function lookups(table: ProductTable, random: () => number): Draft[] {
  const drafts: Draft[] = [];
  for (let i = 0; i < 36; i++) {
    const row = pick(table.rows, random);
    const [column, template] = LOOKUP_PHRASINGS[i % LOOKUP_PHRASINGS.length]!;
    drafts.push({
      input: { question: template.replace('{name}', row.name!) },
      expected: row[column]!,
      category: 'lookup',
      source: `table.csv:${row.sku}:${column}`,
    });
  }
  return drafts;
}

/** Each form builds a question and computes its answer with plain arithmetic, independently of the agent's parser. */
const CALCULATION_FORMS: ReadonlyArray<(n: (max: number) => number) => [string, number]> = [
  (n) => {
    const [a, b, c] = [n(90), n(20), n(12)];
    return [`What is ${a} + ${b} * ${c}?`, a + b * c];
  },
  (n) => {
    const [a, b, c] = [n(50), n(50), n(9)];
    return [`Calculate (${a} + ${b}) * ${c}.`, (a + b) * c];
  },
  (n) => {
    const p = [5, 10, 12.5, 15, 20, 25, 40][n(7) - 1]!;
    const x = n(60) * 8;
    return [`What is ${p}% of ${x}?`, (p * x) / 100];
  },
  (n) => {
    const [a, b, c] = [n(30), n(30), n(100)];
    return [`What is ${a} times ${b} minus ${c}?`, a * b - c];
  },
  (n) => {
    const [b, k] = [n(24), n(40)];
    return [`What is ${b * k} divided by ${b}?`, k];
  },
  (n) => {
    const [a, b] = [n(25), n(99)];
    return [`What is ${a} squared plus ${b}?`, a * a + b];
  },
  (n) => {
    const [c, k, a] = [n(12), n(15), n(500)];
    return [`Compute ${a} - ${c * k} / ${c}.`, a - k];
  },
  (n) => {
    const [a, b] = [n(400) / 4, n(300) / 4];
    return [`What is ${a} plus ${b}?`, a + b];
  },
];

function calculations(random: () => number): Draft[] {
  const n = (max: number) => 1 + Math.floor(random() * max);
  const drafts: Draft[] = [];
  for (let i = 0; i < 26; i++) {
    const [question, value] = CALCULATION_FORMS[i % CALCULATION_FORMS.length]!(n);
    drafts.push({ input: { question }, expected: String(Math.round(value * 1e4) / 1e4), category: 'calculation', source: 'arithmetic' });
  }
  return drafts;
}

/** Trail passages name the gear staff recommend; the question asks about that gear's table row. */
const RECOMMENDATION_QUESTIONS: ReadonlyArray<readonly [passage: string, column: string, question: string]> = [
  ['trails/cairn-ridge-traverse', 'price_usd', 'What is the price of the tent staff recommend for the Cairn Ridge Traverse?'],
  ['trails/lakeshore-loop', 'price_usd', 'How much does the pack recommended for the Lakeshore Loop cost?'],
  ['trails/bristlecone-basin', 'weight_g', 'What does the sleeping bag recommended for Bristlecone Basin weigh?'],
  ['trails/red-canyon-paddle', 'price_usd', 'What is the price of the sleeping bag staff recommend for the Red Canyon Paddle?'],
  ['trails/granite-pass', 'weight_g', 'How much does the pack recommended for Granite Pass weigh?'],
  ['trails/willow-flats-campground', 'price_usd', 'What is the price of the tent staff recommend at Willow Flats Campground?'],
  ['trails/hanging-gardens-trail', 'price_usd', 'What is the price of the headlamp recommended for the Hanging Gardens Trail?'],
  ['trails/northern-lakes-circuit', 'price_usd', 'How much does the filter recommended for the Northern Lakes Circuit cost?'],
  ['trails/echo-summit', 'price_usd', 'What is the price of the jacket staff recommend for Echo Summit?'],
  ['trails/pinecone-meadows', 'weight_g', 'How many grams does the tent recommended for Pinecone Meadows weigh?'],
  ['trails/osprey-bluffs', 'rating', 'What is the customer rating of the jacket recommended for Osprey Bluffs?'],
  ['trails/cairn-ridge-traverse', 'sku', 'What is the SKU of the tent recommended for the Cairn Ridge Traverse?'],
  ['trails/bristlecone-basin', 'warranty_years', 'How long is the warranty on the sleeping bag recommended for Bristlecone Basin?'],
  ['trails/lakeshore-loop', 'in_stock', 'How many units of the pack recommended for the Lakeshore Loop are in stock?'],
  ['trails/willow-flats-campground', 'color', 'What colour is the tent recommended for Willow Flats Campground?'],
  ['trails/hanging-gardens-trail', 'weight_g', 'What is the weight of the headlamp recommended for the Hanging Gardens Trail?'],
  ['trails/northern-lakes-circuit', 'rating', 'What is the customer rating of the filter recommended for the Northern Lakes Circuit?'],
  ['trails/echo-summit', 'in_stock', 'How many units of the jacket recommended for Echo Summit are in stock?'],
];

function multiHop(passages: readonly Passage[], table: ProductTable, random: () => number): Draft[] {
  const drafts: Draft[] = RECOMMENDATION_QUESTIONS.map(([passageId, column, question]) => {
    const text = passages.find((passage) => passage.id === passageId)?.text ?? '';
    const named = /staff recommend the (.+?)(?: tent| pack)?(?:,| for| because)/i.exec(text)?.[1];
    const row = table.rows.find((candidate) => candidate.name === named);
    if (!row) throw new Error(`multi-hop question "${question}": no product named in ${passageId} (found "${named}")`);
    return { input: { question }, expected: row[column]!, category: 'multi-hop', source: `${passageId} → table.csv:${row.sku}:${column}` };
  });
  const words = ['two', 'three', 'four', 'five'];
  for (let i = 0; i < 10; i++) {
    const row = pick(table.rows, random);
    const quantity = 2 + (i % 4);
    const written = i % 2 === 0 ? String(quantity) : words[quantity - 2]!;
    const total = Math.round(quantity * Number(row.price_usd) * 100) / 100;
    drafts.push({
      input: { question: `How much would ${written} ${row.name} cost in total?` },
      expected: String(total),
      category: 'multi-hop',
      source: `table.csv:${row.sku}:price_usd × ${quantity}`,
    });
  }
  return drafts;
}

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)]!;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const examples = generateDataset(loadKnowledgeBase(join(here, 'knowledge')), ProductTable.load(join(here, 'table.csv')));
  writeFileSync(join(here, 'dataset.jsonl'), examples.map((example) => JSON.stringify(example)).join('\n') + '\n');
  const counts = new Map<string, number>();
  for (const example of examples) counts.set(example.category, (counts.get(example.category) ?? 0) + 1);
  process.stdout.write(`wrote ${examples.length} examples: ${[...counts].map(([category, n]) => `${category} ${n}`).join(', ')}\n`);
}
