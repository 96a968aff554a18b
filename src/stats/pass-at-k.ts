/**
 * Unbiased pass@k of one example from n trials of which c passed (Chen et al. 2021, "Evaluating
 * Large Language Models Trained on Code", eq. 1): 1 − C(n − c, k) / C(n, k), the chance that at
 * least one of k trials drawn without replacement passes. Written as a product so that large n
 * never overflows a binomial coefficient.
 */
export function passAtK(n: number, c: number, k: number): number {
  if (!(k >= 1 && k <= n && c >= 0 && c <= n)) throw new RangeError(`pass@k needs 1 ≤ k ≤ n and 0 ≤ c ≤ n, got n=${n} c=${c} k=${k}`);
  if (n - c < k) return 1;
  let allFail = 1;
  for (let i = n - c + 1; i <= n; i++) allFail *= 1 - k / i;
  return 1 - allFail;
}

/**
 * Unbiased pass^k of one example (Yao et al. 2024, τ-bench): C(c, k) / C(n, k), the chance that
 * all of k trials drawn without replacement pass — how reliably the agent succeeds every time.
 */
export function passHatK(n: number, c: number, k: number): number {
  if (!(k >= 1 && k <= n && c >= 0 && c <= n)) throw new RangeError(`pass^k needs 1 ≤ k ≤ n and 0 ≤ c ≤ n, got n=${n} c=${c} k=${k}`);
  let all = 1;
  for (let i = 0; i < k; i++) all *= (c - i) / (n - i);
  return all;
}
