import { describe, expect, it } from 'vitest';
import { reportAnnotationProblems } from './annotation-problems.ts';

describe('reportAnnotationProblems', () => {
  it('says an error leaves its annotation out, and a warning does not, once each', () => {
    const lines: string[] = [];
    reportAnnotationProblems(
      [
        { severity: 'warning', file: 'a.yaml', line: 2, message: '"helpfulnes" is not declared' },
        { severity: 'error', file: 'a.yaml', line: 3, message: 'value: .nan is not a finite number' },
      ],
      (line) => lines.push(line),
    );
    expect(lines).toEqual([
      'warning: a.yaml:2: "helpfulnes" is not declared',
      'error: a.yaml:3: value: .nan is not a finite number (the annotation is left out)',
    ]);
  });
});
