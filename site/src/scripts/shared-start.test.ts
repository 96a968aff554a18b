import { describe, expect, it } from 'vitest';
import { elideShared, sharedStart } from './shared-start.ts';

describe("a run's shared opening words", () => {
  it('are elided from each output at a word boundary, so rows tell apart', () => {
    const outputs = [
      'Here is what the Kestrel knowledge base says. 42.',
      'Here is what the Kestrel knowledge base says: Ember red.',
      '',
      'Here is what the Kestrel know-how',
    ];
    const shared = sharedStart(outputs);
    expect(shared).toBe('Here is what the Kestrel ');
    expect(elideShared(outputs[1]!, shared)).toBe('…knowledge base says: Ember red.');
    expect(elideShared('Something else', shared)).toBe('Something else');
  });

  it('are left alone when short, or when only one output exists', () => {
    expect(sharedStart(['The answer is 4', 'The answer is 5'])).toBe('');
    expect(sharedStart(['Only one output of some length here'])).toBe('');
    expect(elideShared('Here is what the Kestrel ', 'Here is what the Kestrel ')).toBe('Here is what the Kestrel ');
  });
});
