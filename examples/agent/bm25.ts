import { tokenize } from './tokenize.ts';

/** Okapi BM25 parameters: `k1` saturates term frequency, `b` normalises by document length. */
export interface Bm25Params {
  k1: number;
  b: number;
}

export interface Bm25Document {
  id: string;
  text: string;
}

export interface Bm25Hit<D extends Bm25Document> {
  document: D;
  score: number;
}

/**
 * An in-memory BM25 index. Scores use the Lucene-style IDF `ln(1 + (N - n + 0.5) / (n + 0.5))`,
 * which is never negative, so a term in every document adds a little instead of subtracting.
 * Ties are broken by insertion order, so results are deterministic.
 */
export class Bm25Index<D extends Bm25Document> {
  private readonly termFrequencies: Map<string, number>[] = [];
  private readonly lengths: number[] = [];
  private readonly documentFrequency = new Map<string, number>();
  private readonly averageLength: number;

  constructor(
    private readonly documents: readonly D[],
    private readonly params: Bm25Params = { k1: 1.2, b: 0.75 },
  ) {
    if (params.k1 < 0 || params.b < 0 || params.b > 1) {
      throw new RangeError(`BM25 needs k1 >= 0 and 0 <= b <= 1, got k1=${params.k1} b=${params.b}`);
    }
    for (const document of documents) {
      const counts = new Map<string, number>();
      const terms = tokenize(document.text);
      for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
      for (const term of counts.keys()) this.documentFrequency.set(term, (this.documentFrequency.get(term) ?? 0) + 1);
      this.termFrequencies.push(counts);
      this.lengths.push(terms.length);
    }
    const total = this.lengths.reduce((sum, length) => sum + length, 0);
    this.averageLength = documents.length === 0 ? 0 : total / documents.length;
  }

  /** Inverse document frequency of a normalised term; 0 for a term no document contains. */
  idf(term: string): number {
    const n = this.documentFrequency.get(term) ?? 0;
    if (n === 0) return 0;
    const N = this.documents.length;
    return Math.log(1 + (N - n + 0.5) / (n + 0.5));
  }

  /** The `limit` best documents with a positive score, best first. */
  search(query: string, limit: number): Bm25Hit<D>[] {
    const queryTerms = [...new Set(tokenize(query))];
    const { k1, b } = this.params;
    const hits: Bm25Hit<D>[] = [];
    this.documents.forEach((document, index) => {
      const counts = this.termFrequencies[index]!;
      const lengthRatio = this.averageLength === 0 ? 0 : this.lengths[index]! / this.averageLength;
      let score = 0;
      for (const term of queryTerms) {
        const tf = counts.get(term) ?? 0;
        if (tf === 0) continue;
        score += (this.idf(term) * tf * (k1 + 1)) / (tf + k1 * (1 - b + b * lengthRatio));
      }
      if (score > 0) hits.push({ document, score });
    });
    // Array.prototype.sort is stable, so equal scores keep insertion order.
    hits.sort((left, right) => right.score - left.score);
    return hits.slice(0, Math.max(0, limit));
  }
}
