/**
 * mulberry32: a 32-bit-state generator by Tommy Ettinger. Small, fast and good enough for
 * bootstrap resampling (it passes gjrand and PractRand up to a few terabytes); its period of
 * 2^32 far exceeds the n × resamples draws of one comparison. Chosen because its output is
 * fully determined by the seed on every JS engine, so a reported seed reproduces a result.
 */
export class Mulberry32 {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** The next uniformly distributed unsigned 32-bit integer. */
  nextUint32(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /**
   * An integer in [0, n) by the multiply-shift mapping (Lemire): the bias is at most n / 2^32,
   * below 3e-6 for a 10,000-example run, far under the bootstrap's own Monte Carlo error.
   */
  nextIndex(n: number): number {
    return Math.floor((this.nextUint32() * n) / 4294967296);
  }

  /** Fills `out` with the next out.length outputs (a tight loop: hot paths call this, not nextUint32). */
  fill(out: Uint32Array): void {
    let state = this.#state;
    for (let i = 0; i < out.length; i++) {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      out[i] = t ^ (t >>> 14);
    }
    this.#state = state;
  }

  /** A double in [0, 1). */
  nextFloat(): number {
    return this.nextUint32() / 4294967296;
  }
}
