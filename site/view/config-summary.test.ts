import { describe, expect, it } from 'vitest';
import { configSummary } from './config-summary.ts';

describe('configSummary', () => {
  it('names the model and up to three scalar params', () => {
    expect(configSummary({ model: 'gpt-4o', params: { temperature: 0.2, top_k: 5, stream: false, seed: 7 } })).toBe(
      'gpt-4o · temperature=0.2 · top_k=5 · stream=false',
    );
  });

  it('shows three params, not four, when there is no model (params or top-level scalars)', () => {
    expect(configSummary({ params: { a: 1, b: 2, c: 3, d: 4 } })).toBe('a=1 · b=2 · c=3');
    expect(configSummary({ a: 1, prompts: { system: 'hi' }, b: 'short', c: 'x'.repeat(25), d: true, e: 5 })).toBe('a=1 · b=short · d=true');
    expect(configSummary({ model: 'm', a: 1 }, 0)).toBe('m');
  });

  it('says nothing for no config, and cuts long model names', () => {
    expect(configSummary(null)).toBe('');
    expect(configSummary({ model: 'm'.repeat(60) })).toHaveLength(40);
  });
});
