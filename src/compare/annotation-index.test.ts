import { describe, expect, it } from 'vitest';
import type { Annotation } from '../../schemas/annotation.ts';
import { indexAnnotations } from './annotation-index.ts';

const at = '2025-01-01T00:00:00.000Z';
const a = (run: string, trace: string, name: string, value: number | string, author = 'x'): Annotation => ({
  run,
  trace,
  name,
  value,
  author,
  at,
});

describe('indexAnnotations', () => {
  it('averages numbers and takes the majority label per trace and name', () => {
    const index = indexAnnotations([
      a('r1', 't1', 'score', 1),
      a('r1', 't1', 'score', 0.5, 'y'),
      a('r1', 't1', 'verdict', 'ok'),
      a('r1', 't1', 'verdict', 'bad', 'y'),
      a('r1', 't1', 'verdict', 'ok', 'z'),
      a('r1', 't2', 'verdict', 'zz'),
      a('r1', 't2', 'verdict', 'aa', 'y'),
      a('r2', 't1', 'score', 0),
    ]);
    expect(index.get('r1', 't1')?.get('score')).toBe(0.75);
    expect(index.get('r1', 't1')?.get('verdict')).toBe('ok');
    // A tie goes to the label that sorts first, whatever the file order.
    expect(index.get('r1', 't2')?.get('verdict')).toBe('aa');
    expect(index.get('r2', 't1')?.get('score')).toBe(0);
    expect(index.get('r3', 't1')).toBeUndefined();
    expect(index.names.get('score')).toEqual({ numbers: 2, labels: 0, runs: new Set(['r1', 'r2']) });
    expect(index.names.get('verdict')?.labels).toBe(2);
  });
});
