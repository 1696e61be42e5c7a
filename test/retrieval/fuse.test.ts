import { describe, expect, it } from "vitest";
import { fuseNormalized, reciprocalRankFusion } from "../../src/retrieval/fuse.js";

describe("reciprocal rank fusion", () => {
  it("rewards items ranked by both lists and records each rank", () => {
    const fused = reciprocalRankFusion([
      { name: "bm25", weight: 1, labels: [1, 2, 3] },
      { name: "dense", weight: 1, labels: [3, 4, 1] },
    ], 60);
    expect(fused[0]!.label).toBe(1);
    expect(fused[0]!.ranks).toEqual({ bm25: 1, dense: 3 });
    expect(fused.map((h) => h.label)).toContain(4);
  });

  it("weights shift the order, and a zero weight ignores a list", () => {
    const lists = (w: number) => [
      { name: "bm25", weight: 1, labels: [1, 2] },
      { name: "dense", weight: w, labels: [2, 1] },
    ];
    expect(reciprocalRankFusion(lists(0.5), 10)[0]!.label).toBe(1);
    expect(reciprocalRankFusion(lists(2), 10)[0]!.label).toBe(2);
    expect(reciprocalRankFusion(lists(0), 10).every((h) => h.ranks.dense === undefined)).toBe(true);
  });
});

describe("normalised score fusion", () => {
  it("puts every feature on a 0..1 scale before weighting", () => {
    const rows = [
      { bm25: 20, cosine: 0.2 },
      { bm25: 10, cosine: 0.4 },
    ];
    expect(fuseNormalized(rows, { bm25: 1, cosine: 0 })).toEqual([1, 0.5]);
    expect(fuseNormalized(rows, { bm25: 1, cosine: 1 })).toEqual([1.5, 1.5]);
    const scores = fuseNormalized(rows, { bm25: 1, cosine: 0.4 });
    expect(scores[0]).toBeGreaterThan(scores[1]!);
  });

  it("ignores features that are zero for every candidate", () => {
    expect(fuseNormalized([{ a: 0, b: 2 }, { a: 0, b: 1 }], { a: 5, b: 1 })).toEqual([1, 0.5]);
  });
});
