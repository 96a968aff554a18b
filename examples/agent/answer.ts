import type { Bm25Hit } from './bm25.ts';
import type { Passage } from './knowledge-base.ts';
import { seededRandom } from './simulated-model.ts';
import { tokenize } from './tokenize.ts';

export const REFUSAL = "I don't know.";

/** What a tool contributed: a terse value and a sentence that says what it is. */
export interface ToolFinding {
  value: string;
  sentence: string;
}

export interface AnswerOptions {
  strategy: 'extractive' | 'tool-first';
  style: 'concise' | 'verbose';
  temperature: number;
  /** Seeds the sampling noise; the agent derives it from the config seed and the question. */
  seed: number;
  /** Inverse document frequency from the retriever's index, so rare words weigh more. */
  idf: (term: string) => number;
}

/**
 * Composes the answer body (before the prompt template is applied):
 * - a tool finding under `tool-first` is the answer by itself (`"349"`);
 * - under `extractive` the finding is stated as a sentence and followed by the best quote;
 * - otherwise the best sentence from the passages, plus the runner-up when `verbose`;
 * - nothing relevant at all gives the refusal.
 */
export function composeAnswer(
  question: string,
  hits: readonly Bm25Hit<Passage>[],
  finding: ToolFinding | undefined,
  options: AnswerOptions,
): string {
  if (finding && options.strategy === 'tool-first') return finding.value;
  const ranked = rankSentences(question, hits, options);
  if (finding) return ranked[0] ? `${finding.sentence} ${ranked[0].text}` : finding.sentence;
  if (ranked.length === 0) return REFUSAL;
  const chosen = options.style === 'verbose' ? ranked.slice(0, 2) : ranked.slice(0, 1);
  return chosen.map((sentence) => sentence.text).join(' ');
}

interface ScoredSentence {
  text: string;
  score: number;
}

/**
 * Scores every sentence of the retrieved passages by the IDF weight of the question terms it
 * contains, plus a small share of its passage's retrieval score. With `temperature > 0` each
 * score is multiplied by seeded noise, the way sampling sometimes picks a lesser candidate.
 */
export function rankSentences(question: string, hits: readonly Bm25Hit<Passage>[], options: AnswerOptions): ScoredSentence[] {
  const queryTerms = new Set(tokenize(question));
  const topScore = hits[0]?.score ?? 1;
  const random = seededRandom(options.seed);
  const scored: ScoredSentence[] = [];
  for (const hit of hits) {
    for (const text of splitSentences(hit.document.text).slice(1)) {
      let overlap = 0;
      for (const term of new Set(tokenize(text))) if (queryTerms.has(term)) overlap += options.idf(term);
      if (overlap === 0) continue;
      const noise = 1 + options.temperature * (random() * 2 - 1);
      scored.push({ text, score: (overlap + 0.5 * (hit.score / topScore)) * noise });
    }
  }
  return scored.sort((left, right) => right.score - left.score);
}

/** Sentence split on `. `, `! `, `? `. The first "sentence" of a passage is its title, which is skipped. */
export function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+(?=[A-Z0-9])/)
    .map((sentence) => sentence.trim())
    .filter(Boolean);
}

/** Fills `{{ name }}` placeholders; an unknown placeholder is left visible so a typo shows in the output. */
export function renderTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (whole, name: string) => values[name] ?? whole).trim();
}
