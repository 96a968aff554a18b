import { calculate, CalculatorError } from './calculator.ts';
import type { ProductTable } from './product-table.ts';

export type ToolName = 'calculator' | 'lookup';

/** What the agent will do for one question. Every plan also allows retrieval. */
export type Plan =
  | { kind: 'retrieve' }
  | { kind: 'calculate'; expression: string }
  | { kind: 'lookup'; product: string; column: string }
  /** "How much would 3 Trailhead 22 cost?": look up, then multiply by the quantity. */
  | { kind: 'lookup-calculate'; product: string; column: string; quantity: number }
  /** "What is the price of the tent staff recommend for ...?": find the product in the passages first. */
  | { kind: 'retrieve-lookup'; column: string; category: string | undefined };

/** Words that point at a column of the product table. Order matters: the first match wins. */
const COLUMN_CUES: ReadonlyArray<readonly [string, RegExp]> = [
  ['sku', /\b(sku|item number|product code)\b/],
  ['in_stock', /\b(in stock|inventory|units? (are|is) (left|available))\b/],
  ['rating', /\b(customer rating|stars|rated)\b/],
  ['weight_g', /\b(weigh|weighs|weight|grams)\b/],
  ['warranty_years', /\bwarranty\b/],
  ['color', /\bcolou?r\b/],
  ['price_usd', /\b(price|cost|costs|how much)\b/],
];

const CATEGORY_WORDS = ['tent', 'pack', 'sleeping bag', 'headlamp', 'filter', 'jacket'];
const NUMBER_WORDS: Record<string, number> = { two: 2, three: 3, four: 4, five: 5, six: 6, ten: 10 };

/**
 * Chooses a plan from the question's wording, limited to the enabled tools. This is the demo's
 * stand-in for a model's tool choice: simple cues, so its mistakes are easy to see in a trace.
 */
export function route(question: string, table: ProductTable, tools: readonly ToolName[]): Plan {
  const text = question.toLowerCase();
  if (tools.includes('calculator')) {
    const expression = extractExpression(text);
    if (expression) return { kind: 'calculate', expression };
  }
  if (!tools.includes('lookup')) return { kind: 'retrieve' };

  const column = COLUMN_CUES.find(([, cue]) => cue.test(text))?.[0];
  if (!column) return { kind: 'retrieve' };
  const product = table.findProductIn(question);
  if (product?.name) {
    const quantity = quantityBefore(text, product.name.toLowerCase());
    if (quantity !== undefined && column === 'price_usd' && tools.includes('calculator')) {
      return { kind: 'lookup-calculate', product: product.name, column, quantity };
    }
    return { kind: 'lookup', product: product.name, column };
  }
  if (/\brecommend/.test(text)) {
    return { kind: 'retrieve-lookup', column, category: CATEGORY_WORDS.find((word) => text.includes(word)) };
  }
  return { kind: 'retrieve' };
}

/**
 * Finds an arithmetic expression in a question, after rewriting words ("plus", "divided by",
 * "15% of") as operators. Returns undefined unless the candidate parses and has an operator,
 * so "the Ridgeline 2" is never mistaken for a sum.
 */
export function extractExpression(text: string): string | undefined {
  const rewritten = text
    .replace(/(\d+(?:\.\d+)?)\s*(?:%|percent)\s+of\b/g, '($1 / 100) *')
    .replace(/\bmultiplied by\b|\btimes\b|×/g, '*')
    .replace(/\bdivided by\b|÷/g, '/')
    .replace(/\bplus\b/g, '+')
    .replace(/\bminus\b/g, '-')
    .replace(/\bto the power of\b/g, '^')
    .replace(/\bsquared\b/g, '^ 2');
  const candidates = rewritten.match(/[-+*/^().\d\s]+/g) ?? [];
  let best: string | undefined;
  for (const raw of candidates) {
    const candidate = raw.trim().replace(/[.\s]+$/, '');
    if (!/\d/.test(candidate) || !/\d\s*[-+*/^]\s*[-(\d.]/.test(candidate)) continue;
    if (best && candidate.length <= best.length) continue;
    try {
      calculate(candidate);
      best = candidate;
    } catch (error) {
      if (!(error instanceof CalculatorError)) throw error;
    }
  }
  return best;
}

/** "3 Ridgeline 2 tents" or "three Ridgeline 2" → the quantity written just before the product name. */
function quantityBefore(text: string, productName: string): number | undefined {
  const index = text.indexOf(productName);
  if (index < 0) return undefined;
  const before = text.slice(0, index).trim().split(/\s+/);
  const word = before.at(-1) === 'the' ? undefined : before.at(-1);
  if (word === undefined) return undefined;
  if (/^\d+$/.test(word)) return Number(word);
  return NUMBER_WORDS[word];
}
