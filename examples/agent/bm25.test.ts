import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Bm25Index } from './bm25.ts';
import { loadKnowledgeBase } from './knowledge-base.ts';
import { stem, tokenize } from './tokenize.ts';

const docs = [
  { id: 'cats', text: 'Cats sleep most of the day and hunt at night.' },
  { id: 'dogs', text: 'Dogs enjoy long walks and fetching sticks.' },
  { id: 'cat-food', text: 'Cat food should contain protein. Cats need taurine.' },
  {
    id: 'long',
    text: 'Dogs dogs dogs. A very long document about parks, rivers, mountains, trails, weather, maps and the many other things a walker might see.',
  },
];

describe('tokenize', () => {
  it('drops stop words, lower-cases and stems so inflections meet', () => {
    expect(tokenize('How many days do customers have to RETURN items?')).toEqual(['many', 'day', 'customer', 'return', 'item']);
    expect(['returns', 'returned', 'returning'].map(stem)).toEqual(['return', 'return', 'return']);
    expect(['shipped', 'shipping', 'ship'].map(stem)).toEqual(['ship', 'ship', 'ship']);
    expect(['carries', 'carried', 'carry'].map(stem)).toEqual(['carry', 'carry', 'carry']);
  });

  it('keeps decimals whole and short words intact', () => {
    expect(tokenize('R-value of 4.2, gas')).toEqual(['r', 'value', '4.2', 'gas']);
  });
});

describe('Bm25Index', () => {
  it('ranks the documents that contain the rarer query terms first', () => {
    const index = new Bm25Index(docs);
    expect(index.search('cats taurine', 3).map((hit) => hit.document.id)).toEqual(['cat-food', 'cats']);
    expect(index.search('walks with dogs', 1)[0]?.document.id).toBe('dogs');
  });

  it('gives rarer terms a higher IDF and unknown terms none', () => {
    const index = new Bm25Index(docs);
    expect(index.idf('taurine')).toBeGreaterThan(index.idf('cat'));
    expect(index.idf('zebra')).toBe(0);
    expect(index.search('zebra', 5)).toEqual([]);
  });

  it('penalises long documents with b = 1 and not with b = 0', () => {
    const noLengthNorm = new Bm25Index(docs, { k1: 1.2, b: 0 });
    const fullLengthNorm = new Bm25Index(docs, { k1: 1.2, b: 1 });
    // "long" repeats "dogs" three times but is four times longer than "dogs".
    expect(noLengthNorm.search('dogs', 1)[0]?.document.id).toBe('long');
    expect(fullLengthNorm.search('dogs', 1)[0]?.document.id).toBe('dogs');
  });

  it('breaks ties by insertion order and honours the limit', () => {
    const twins = [
      { id: 'first', text: 'alpha beta' },
      { id: 'second', text: 'alpha beta' },
      { id: 'third', text: 'gamma' },
    ];
    const hits = new Bm25Index(twins).search('alpha', 10);
    expect(hits.map((hit) => hit.document.id)).toEqual(['first', 'second']);
    expect(new Bm25Index(twins).search('alpha', 1)).toHaveLength(1);
  });

  it('rejects parameters outside their range', () => {
    expect(() => new Bm25Index(docs, { k1: -1, b: 0.5 })).toThrow(RangeError);
    expect(() => new Bm25Index(docs, { k1: 1, b: 1.5 })).toThrow(/0 <= b <= 1/);
  });

  it('finds the right passage of the bundled knowledge base for known questions', () => {
    const index = new Bm25Index(loadKnowledgeBase(join(import.meta.dirname, '../data/knowledge')));
    const top = (query: string) => index.search(query, 1)[0]?.document.id;
    expect(top('How many days do customers have to return an unused item?')).toBe('returns/return-window');
    expect(top('Which carrier delivers domestic parcels?')).toBe('shipping/carrier');
    expect(top('What is the R-value of the Featherlite Pad?')).toBe('sleep/featherlite-pad');
    expect(top('Which tent do staff recommend for the Cairn Ridge Traverse?')).toBe('trails/cairn-ridge-traverse');
  });
});
