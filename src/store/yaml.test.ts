import { describe, expect, it } from 'vitest';
import { FileFormatError } from '../errors/index.ts';
import { parseYaml, parseYamlMapping, toYaml } from './yaml.ts';

describe('parseYaml', () => {
  it('names file, line and column of a syntax error', () => {
    expect(() => parseYaml('a: 1\nb: [1, 2\n', 'cfg.yaml')).toThrow(/^cfg\.yaml:3:1: invalid YAML/);
  });

  it('refuses duplicate keys', () => {
    expect(() => parseYaml('a: 1\na: 2\n', 'cfg.yaml')).toThrow(/cfg\.yaml:2:\d+: invalid YAML: duplicated mapping key/);
  });

  it('refuses aliases of collections (billion laughs) but not a "*" in a string', () => {
    const bomb = 'a: &a ["x","x"]\nb: &b [*a,*a]\nc: &c [*b,*b]\n';
    expect(() => parseYaml(bomb, 'bomb.yaml')).toThrow(/aliases/);
    expect(parseYaml('a: "*not an alias"\n', 'ok.yaml')).toEqual({ a: '*not an alias' });
  });

  it('does not turn dates or odd scalars into objects (core schema)', () => {
    expect(parseYaml('at: 2026-01-01\n', 'x.yaml')).toEqual({ at: '2026-01-01' });
  });
});

describe('parseYamlMapping', () => {
  it.each([
    ['- a\n- b\n', 'a list'],
    ['just text\n', 'a string'],
    ['', 'an empty document'],
  ])('rejects %j as %s', (text, got) => {
    expect(() => parseYamlMapping(text, 'c.yaml')).toThrow(FileFormatError);
    expect(() => parseYamlMapping(text, 'c.yaml')).toThrow(new RegExp(`c\\.yaml:1: expected a YAML mapping.*got ${got}`));
  });

  it('round-trips through toYaml', () => {
    const value = { model: 'm', prompts: { system: 'line 1\nline 2' }, params: { top_k: 3 } };
    expect(parseYamlMapping(toYaml(value), 'x.yaml')).toEqual(value);
  });
});
