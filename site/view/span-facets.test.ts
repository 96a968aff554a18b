import { describe, expect, it } from 'vitest';
import type { Trace } from '#schemas/trace.ts';
import { describeFacet, MAX_FACET_VALUE, spanFacets } from './span-facets.ts';

const span = (extra: Partial<Trace['spans'][number]>): Trace['spans'][number] => ({
  id: 's',
  parentId: null,
  name: 'step',
  type: 'CHAIN',
  start: 0,
  end: 1,
  status: 'ok',
  ...extra,
});

describe('spanFacets', () => {
  it('lists each facet once, in first-seen order: type, model, tool, short scalar attributes', () => {
    const trace = {
      spans: [
        span({
          type: 'LLM',
          model: 'gpt-4o',
          attributes: { temperature: 0.2, stream: true, prompt: 'line one\nline two', long: 'x'.repeat(MAX_FACET_VALUE + 1), empty: '' },
        }),
        span({ type: 'TOOL', name: 'call', attributes: { 'gen_ai.tool.name': 'search' } }),
        span({ type: 'TOOL', name: 'lookup' }),
        span({ type: 'LLM', model: 'gpt-4o' }),
      ],
    } as Trace;
    expect(spanFacets(trace)).toEqual([
      'type:LLM',
      'model:gpt-4o',
      'attr:temperature=0.2',
      'attr:stream=true',
      'type:TOOL',
      'tool:search',
      'attr:gen_ai.tool.name=search',
      'tool:lookup',
    ]);
  });

  it('splits a facet at its first colon only', () => {
    expect(describeFacet('attr:url=https://example.com')).toEqual({ kind: 'attr', text: 'url=https://example.com' });
    expect(describeFacet('model:org:model')).toEqual({ kind: 'model', text: 'org:model' });
  });
});
