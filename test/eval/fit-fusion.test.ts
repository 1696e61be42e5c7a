import { describe, expect, it } from "vitest";
import { DEFAULT_RETRIEVAL_SETTINGS, type FusionWeights } from "../../src/retrieval/retrieve.js";
import { fusionObjective, MAX_DROP, searchFusion, topGain, type PooledCandidate } from "../../src/eval/fit-fusion.js";

const ZERO: FusionWeights = { passage: 0, section: 0, coverage: 0, proximity: 0, lead: 0, questionHeading: 0, topicHeading: 0, dense: 0, denseRank: 0 };
let label = 0;
function cand(features: Partial<FusionWeights>, gain: number, bm25Rank?: number): PooledCandidate {
  return { features: { ...ZERO, ...features }, gain, label: label++, ...(bm25Rank !== undefined ? { bm25Rank } : {}) };
}

describe("fitting the fusion weights", () => {
  it("scores a weight set by the gain of the candidate it ranks first, ties to the better BM25 rank", () => {
    const pool = [cand({ passage: 2, dense: 0.1 }, 0), cand({ passage: 1, dense: 0.9 }, 1)];
    expect(topGain([pool], { ...ZERO, passage: 1, dense: 0.4 })).toBe(0);
    expect(topGain([pool], { ...ZERO, passage: 1, dense: 2 })).toBe(1);
    expect(topGain([[cand({ passage: 1 }, 0, 2), cand({ passage: 1 }, 1, 1)]], { ...ZERO, passage: 1 })).toBe(1);
  });

  it("weighs datasets relative to their baselines and rules out a loss on any one", () => {
    const base = { a: 0.5, b: 0.25 };
    expect(fusionObjective(base, base)).toBeCloseTo(1, 9);
    expect(fusionObjective({ a: 0.5, b: 0.5 }, base)).toBeCloseTo(1.5, 9);
    expect(fusionObjective({ a: 0.5 - 2 * MAX_DROP, b: 1 }, base)).toBe(-Infinity);
  });

  it("moves a weight that helps one dataset and leaves the other unharmed, but not one that costs the other", () => {
    // Dataset a: the relevant candidate has the question heading; b has no question headings but prefers dense ≤ 0.4.
    const a = Array.from({ length: 10 }, () => [cand({ passage: 1, section: 1 }, 0), cand({ passage: 0.9, section: 0.9, questionHeading: 1 }, 1)]);
    const b = Array.from({ length: 10 }, () => [cand({ passage: 1, section: 1, dense: 0.2 }, 1), cand({ passage: 0.8, section: 0.8, dense: 1 }, 0)]);
    const fit = searchFusion({ a, b }, DEFAULT_RETRIEVAL_SETTINGS.weights);
    expect(fit.baseline).toEqual({ a: 0, b: 1 });
    expect(fit.weights.questionHeading).toBeGreaterThan(0);
    expect(fit.gain.b).toBe(1);
    expect(fit.weights.dense).toBeLessThanOrEqual(0.4);
  });

  it("searches the dense-rank weight too, and takes it when the nearest neighbour is the relevant one without a loss elsewhere", () => {
    const a = Array.from({ length: 10 }, () => [cand({ passage: 1, section: 1, denseRank: 0.6 }, 0), cand({ passage: 0.95, section: 0.95, denseRank: 1 }, 1)]);
    const b = Array.from({ length: 10 }, () => [cand({ passage: 1, section: 1, denseRank: 1 }, 1), cand({ passage: 0.5, section: 0.5 }, 0)]);
    const fit = searchFusion({ a, b }, { ...DEFAULT_RETRIEVAL_SETTINGS.weights, denseRank: 0 });
    expect(fit.baseline).toEqual({ a: 0, b: 1 });
    expect(fit.weights.denseRank).toBeGreaterThan(0);
    expect(fit.gain).toEqual({ a: 1, b: 1 });
  });
});
