import { describe, expect, it } from "vitest";
import { reciprocalRankFusion } from "../../src/retrieval/fuse.js";

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
