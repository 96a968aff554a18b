import { describe, expect, test } from 'vitest';
import { spanToolName } from './tool-name.ts';

describe('spanToolName: one vocabulary for the tool of a TOOL span', () => {
  test.each([
    ['the GenAI key, as the importers write it', { 'gen_ai.tool.name': 'weather' }, 'weather'],
    ['the GenAI key first, when an older key disagrees', { 'tool.name': 'old', 'gen_ai.tool.name': 'weather' }, 'weather'],
    ["OpenInference's key, in runs imported before the names were unified", { 'tool.name': 'calculator' }, 'calculator'],
    ["the AI SDK's key, likewise", { 'ai.toolCall.name': 'search' }, 'search'],
    ['an empty or non-text name is no name', { 'gen_ai.tool.name': '', 'tool.name': 42 }, 'ai.toolCall'],
    ['no attributes: the span name', undefined, 'ai.toolCall'],
  ])('%s', (_, attributes, expected) => {
    expect(spanToolName({ name: 'ai.toolCall', attributes })).toBe(expected);
  });
});
