import { join, resolve } from 'node:path';
import { createAgent, type Agent } from './agent.ts';
import type { DemoConfig } from './config.ts';
import { loadKnowledgeBase } from './knowledge-base.ts';
import { ProductTable } from './product-table.ts';

/** `examples/data`: the bundled knowledge base, product table and dataset. */
export const DATA_DIR = resolve(import.meta.dirname, '..', 'data');

/** The agent over the bundled knowledge base and product table. */
export function loadDemoAgent(config: DemoConfig): Agent {
  return createAgent(config, loadKnowledgeBase(join(DATA_DIR, 'knowledge')), ProductTable.load(join(DATA_DIR, 'table.csv')));
}
