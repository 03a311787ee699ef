/**
 * Deterministic pseudo-random numbers (mulberry32) for benchmarks, test corpora and
 * synthetic fleets: the same seed gives the same sequence on every run and machine.
 */

/** A generator of numbers in [0, 1) from `seed`; each call returns the next one. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
