import { describe, expect, it } from 'vitest';
import { InvalidNameError } from '../errors/index.ts';
import { assertName, slugify } from './names.ts';
import { newRunId } from './run-id.ts';

describe('assertName', () => {
  it.each(['demo', 'a', 'rag-deep.v2', '20261127-042452-baseline-3f9a1c', 'x_y'])('accepts %s', (name) => {
    expect(assertName('run', name)).toBe(name);
  });

  it.each(['', '../etc', 'a/b', '..', 'a..b', '.hidden', '-dash', 'Upper', 'a b', 'a\\b', 'x'.repeat(101), 'nul\0'])(
    'rejects %j',
    (name) => {
      expect(() => assertName('run', name)).toThrow(InvalidNameError);
    },
  );

  it.each(['con', 'CON', 'prn', 'aux', 'nul', 'com1', 'COM9', 'lpt1', 'lpt9', 'com0', 'con.txt', 'nul.tar.gz', 'aux.', 'Com1.yaml'])(
    'rejects the Windows device name %j',
    (name) => {
      expect(() => assertName('experiment', name)).toThrow(InvalidNameError);
    },
  );

  it('names the device and says why', () => {
    expect(() => assertName('experiment', 'con')).toThrow(
      /invalid experiment name "con": "con" is a device name on Windows, where such a folder cannot be created or checked out/,
    );
    expect(() => assertName('run', 'nul.v2')).toThrow(/"nul" is a device name on Windows/);
    expect(() => assertName('run', 'com3.tar.gz')).toThrow(/"com3" is a device name on Windows/);
  });

  it.each(['console', 'conf', 'auxiliary', 'com10', 'lpt', 'nul-results', 'my-con', 'con-v2'])(
    'accepts %j, which only looks like a device name',
    (name) => {
      expect(assertName('experiment', name)).toBe(name);
    },
  );

  it('rejects a trailing dot, which Windows drops', () => {
    expect(() => assertName('experiment', 'demo.')).toThrow(/ends with "\."/);
  });

  it('says what kind of name it rejected', () => {
    expect(() => assertName('experiment', 'a/b')).toThrow(/invalid experiment name "a\/b"/);
  });
});

describe('slugify', () => {
  it('makes a valid name from a file name', () => {
    expect(slugify('GPT-4 Mini.yaml')).toBe('gpt-4-mini');
    expect(slugify('../../etc/passwd')).toBe('etc-passwd');
    expect(slugify('***')).toBe('run');
    expect(() => assertName('run', slugify('..a..b..'))).not.toThrow();
  });
});

describe('newRunId', () => {
  it('sorts by time and carries the config name', () => {
    const a = newRunId('baseline', new Date('2026-11-27T04:24:52.000Z'), 'aaaaaa');
    const b = newRunId('baseline', new Date('2026-11-27T04:24:53.000Z'), '000000');
    expect(a).toBe('20261127-042452-baseline-aaaaaa');
    expect([b, a].sort()).toEqual([a, b]);
    expect(() => assertName('run', newRunId('Weird Name!.yaml'))).not.toThrow();
  });

  it('is unique without coordination', () => {
    const now = new Date();
    const ids = new Set(Array.from({ length: 1000 }, () => newRunId('c', now)));
    expect(ids.size).toBeGreaterThan(990); // 24 random bits: collisions in 1,000 draws are rare, not impossible
  });
});
