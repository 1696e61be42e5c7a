import { seededRandom } from "../../src/eval/metrics.js";

/** A seeded uniform generator in [0, 1): mulberry32, the same one the evaluation harness uses. */
export type Rng = () => number;

export const mulberry32: (seed: number) => Rng = seededRandom;

/** Mixes two integers into a seed, so item `i` of a seeded sequence can be generated without items 0..i-1. */
export function mixSeed(seed: number, i: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(i + 0x632be5ab, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  return h >>> 0;
}

/** Fisher–Yates with a seeded generator: a deterministic permutation. */
export function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * Samples ranks 0..n-1 with P(rank r) ∝ 1 / (r + 1 + offset)^s: Zipf's law (s ≈ 1 for natural language), with
 * Mandelbrot's offset flattening the head. An offset models content words, whose ranks in real text start after
 * the ~100 function words. The cumulative table makes each draw a binary search: ~17 steps for 60k words.
 */
export class ZipfSampler {
  private readonly cdf: Float64Array;

  constructor(readonly n: number, readonly s = 1.05, readonly offset = 0) {
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`Zipf support must be a positive integer, got ${n}`);
    if (!(offset >= 0)) throw new RangeError(`Zipf offset must be non-negative, got ${offset}`);
    this.cdf = new Float64Array(n);
    let sum = 0;
    for (let r = 0; r < n; r++) {
      sum += 1 / Math.pow(r + 1 + offset, s);
      this.cdf[r] = sum;
    }
    for (let r = 0; r < n; r++) this.cdf[r]! /= sum;
  }

  /** One rank, 0 being the most frequent. */
  sample(rng: Rng): number {
    const u = rng();
    let lo = 0;
    let hi = this.n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
