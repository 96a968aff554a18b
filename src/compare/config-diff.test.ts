import { describe, expect, it } from 'vitest';
import { diffConfigs, formatConfigPath } from './config-diff.ts';

describe('diffConfigs', () => {
  it('reports the deepest changed values, recognised keys first', () => {
    const before = {
      zeta: 1,
      params: { temperature: 0.2, top_p: 1 },
      model: 'small',
      tools: ['a', 'b'],
      prompts: { system: 'You are terse.' },
    };
    const after = {
      zeta: 1,
      params: { temperature: 0.7 },
      model: 'large',
      tools: ['a', 'c', 'd'],
      prompts: { system: 'You are very terse.' },
      extra: true,
    };
    const changes = diffConfigs(before, after);
    expect(changes.map((c) => [formatConfigPath(c.path), c.kind])).toEqual([
      ['model', 'changed'],
      ['prompts.system', 'changed'],
      ['params.temperature', 'changed'],
      ['params.top_p', 'removed'],
      ['extra', 'added'],
      ['tools[1]', 'changed'],
      ['tools[2]', 'added'],
    ]);
    expect(changes[1]!.textDiff).toEqual([
      { op: 'equal', text: 'You are ' },
      { op: 'insert', text: 'very ' },
      { op: 'equal', text: 'terse.' },
    ]);
    expect(changes[0]).toEqual({ path: ['model'], kind: 'changed', before: 'small', after: 'large' });
  });

  it('finds nothing between equal configs, whatever their key order', () => {
    expect(diffConfigs({ a: { x: 1, y: [1, { z: 2 }] } }, { a: { y: [1, { z: 2 }], x: 1 } })).toEqual([]);
  });

  it('reports a value that changed type as changed', () => {
    expect(diffConfigs({ params: { stop: ['x'] } }, { params: { stop: 'x' } })).toEqual([
      { path: ['params', 'stop'], kind: 'changed', before: ['x'], after: 'x' },
    ]);
    expect(formatConfigPath([])).toBe('(root)');
  });
});
