import { describe, expect, it } from 'vitest';
import { extractSamples } from './extract-samples.ts';

describe('extractSamples', () => {
  it('reads each fenced block with the marker on the line before it', () => {
    const markdown = [
      '# Title',
      '<!-- sample: run, given toy-agent -->',
      '```ts',
      'const a = 1;',
      '```',
      '',
      '<!-- sample: not runnable: a synopsis -->',
      '',
      '~~~',
      'labbook run ```inside``` a tilde fence',
      '~~~',
      'text',
      '````sh',
      '```',
      'echo nested fence',
      '````',
    ].join('\n');
    expect(extractSamples(markdown, 'doc.md')).toEqual([
      { where: 'doc.md:3', lang: 'ts', code: 'const a = 1;\n', marker: { kind: 'run', given: 'toy-agent' } },
      {
        where: 'doc.md:9',
        lang: '',
        code: 'labbook run ```inside``` a tilde fence\n',
        marker: { kind: 'not-runnable', reason: 'a synopsis' },
      },
      { where: 'doc.md:13', lang: 'sh', code: '```\necho nested fence\n', marker: null },
    ]);
  });

  it('refuses a marker it cannot read, naming the file and line', () => {
    expect(() => extractSamples('<!-- sample: maybe -->\n```sh\nls\n```\n', 'doc.md')).toThrow(/doc\.md:1: unreadable sample marker/);
    expect(() => extractSamples('<!-- sample: not runnable: -->\n```sh\nls\n```\n', 'doc.md')).toThrow(/doc\.md:1/);
  });
});
