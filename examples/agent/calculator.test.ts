import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calculate, CalculatorError, formatNumber } from './calculator.ts';

describe('calculate', () => {
  it.each([
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['10 - 4 - 3', 3],
    ['2 ^ 3 ^ 2', 512],
    ['-2 ^ 2', -4],
    ['--3', 3],
    ['7 % 4', 3],
    ['(15 / 100) * 360', 54],
    ['.5 + 1.25', 1.75],
    ['1e3 / 8', 125],
  ])('%s = %d', (expression, value) => {
    expect(calculate(expression)).toBe(value);
  });

  it.each([
    'process.exit()',
    'require("fs")',
    '1; process.exit(1)',
    'constructor.constructor("return process")()',
    '__proto__',
    'Math.max(1, 2)',
    '2 ** 3',
    '1 +',
    '(1 + 2',
    '',
  ])('rejects %j without running it', (expression) => {
    expect(() => calculate(expression)).toThrow(CalculatorError);
  });

  it('rejects division by zero, overflow, deep nesting and very long input', () => {
    expect(() => calculate('1 / (2 - 2)')).toThrow(/division by zero/);
    expect(() => calculate('10 ^ 400')).toThrow(/finite/);
    expect(() => calculate(`${'('.repeat(200)}1${')'.repeat(200)}`)).toThrow(/nested more than/);
    expect(() => calculate('1+'.repeat(300) + '1')).toThrow(/longer than/);
  });

  it('agrees with direct arithmetic on random expression trees', () => {
    type Tree = { value: number } | { op: '+' | '-' | '*'; left: Tree; right: Tree };
    const tree = fc.letrec<{ node: Tree }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.integer({ min: 0, max: 999 }).map((value) => ({ value })),
        fc.record({ op: fc.constantFrom('+', '-', '*'), left: tie('node'), right: tie('node') }) as fc.Arbitrary<Tree>,
      ),
    })).node;
    const render = (t: Tree): string => ('value' in t ? String(t.value) : `(${render(t.left)} ${t.op} ${render(t.right)})`);
    const evaluate = (t: Tree): number => {
      if ('value' in t) return t.value;
      const [l, r] = [evaluate(t.left), evaluate(t.right)];
      return t.op === '+' ? l + r : t.op === '-' ? l - r : l * r;
    };
    fc.assert(
      fc.property(tree, (t) => {
        expect(calculate(render(t))).toBe(evaluate(t));
      }),
    );
  });
});

describe('formatNumber', () => {
  it('rounds to four decimals and drops trailing zeros', () => {
    expect(formatNumber(22.4)).toBe('22.4');
    expect(formatNumber(100 / 3)).toBe('33.3333');
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatNumber(-0.00001)).toBe('0');
  });
});
