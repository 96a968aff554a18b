import { describe, expect, it } from 'vitest';
import { retrievedDocuments } from './documents.ts';

describe('retrieved documents in a span output', () => {
  it('are recognised in the shapes frameworks write', () => {
    expect(retrievedDocuments([{ id: 'kb-3', score: 1.25, text: 'Tents are made in Lyon.' }])).toEqual([
      { id: 'kb-3', title: null, score: 1.25, text: 'Tents are made in Lyon.' },
    ]);
    // LangChain Document objects.
    expect(retrievedDocuments({ documents: [{ page_content: 'A', metadata: { source: 'faq.md', id: 7 } }] })).toEqual([
      { id: '7', title: 'faq.md', score: null, text: 'A' },
    ]);
    // OpenInference's retrieval.documents after import.
    expect(retrievedDocuments([{ document: { content: 'B', id: 'd1', score: 0.8 } }])).toEqual([
      { id: 'd1', title: null, score: 0.8, text: 'B' },
    ]);
  });

  it('are not guessed where the output is something else', () => {
    expect(retrievedDocuments('a string')).toBeNull();
    expect(retrievedDocuments([])).toBeNull();
    expect(retrievedDocuments([{ id: 1, text: 'x' }, { id: 2 }])).toBeNull();
    expect(retrievedDocuments({ answer: 'x' })).toBeNull();
    expect(retrievedDocuments([1, 2, 3])).toBeNull();
  });
});
