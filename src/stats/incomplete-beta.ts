import { logBeta } from './log-gamma.ts';

const EPS = 1e-16;
const TINY = 1e-300;
const MAX_ITERATIONS = 10_000;

/**
 * The regularized incomplete beta function I_x(a, b) for a, b > 0 and 0 ≤ x ≤ 1, by the
 * continued fraction evaluated with the modified Lentz method (Numerical Recipes §6.4). The
 * fraction converges fast for x < (a + 1)/(a + b + 2); otherwise the symmetry
 * I_x(a, b) = 1 − I_{1−x}(b, a) is used, so both tails keep their relative precision when
 * asked through `upper`.
 */
export function incompleteBeta(x: number, a: number, b: number): number {
  return regularized(x, a, b, false);
}

/** 1 − I_x(a, b), computed without cancellation when the result is tiny. */
export function incompleteBetaComplement(x: number, a: number, b: number): number {
  return regularized(x, a, b, true);
}

function regularized(x: number, a: number, b: number, upper: boolean): number {
  if (!(a > 0 && b > 0)) throw new RangeError(`incomplete beta needs a, b > 0, got a=${a}, b=${b}`);
  if (!(x >= 0 && x <= 1)) throw new RangeError(`incomplete beta needs 0 ≤ x ≤ 1, got ${x}`);
  if (x === 0) return upper ? 1 : 0;
  if (x === 1) return upper ? 0 : 1;
  const logFront = a * Math.log(x) + b * Math.log1p(-x) - logBeta(a, b);
  if (x < (a + 1) / (a + b + 2)) {
    const lower = (Math.exp(logFront) * continuedFraction(x, a, b)) / a;
    return upper ? 1 - lower : lower;
  }
  const complement = (Math.exp(logFront) * continuedFraction(1 - x, b, a)) / b;
  return upper ? complement : 1 - complement;
}

function continuedFraction(x: number, a: number, b: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) return h;
  }
  return h;
}
