import { describe, expect, it } from "vitest";
import { documentRanking, ndcgAt, percentile, recallAt, reciprocalRankAt, rougeL, seededRandom, tokenF1 } from "../../src/eval/metrics.js";

describe("evaluation metrics", () => {
  const gold = new Set(["b"]);
  it("recall, MRR and nDCG at k", () => {
    expect(recallAt(["a", "b"], gold, 1)).toBe(0);
    expect(recallAt(["a", "b"], gold, 2)).toBe(1);
    expect(reciprocalRankAt(["a", "b"], gold, 10)).toBe(0.5);
    expect(ndcgAt(["b"], gold, 10)).toBe(1);
    expect(ndcgAt(["a", "b"], gold, 10)).toBeCloseTo(1 / Math.log2(3));
  });

  it("ROUGE-L and token F1 ignore citation markers and case", () => {
    expect(rougeL("Press the Home button [1].", "press the home button")).toBe(1);
    expect(rougeL("", "press")).toBe(0);
    expect(tokenF1("home button", "press the home button")).toBeCloseTo((2 * 1 * 0.5) / 1.5);
    expect(rougeL("重置设备", "如何重置设备")).toBeCloseTo((2 * 1 * (4 / 6)) / (1 + 4 / 6));
  });

  it("document ranking keeps first occurrences; percentiles and seeded sampling are deterministic", () => {
    expect(documentRanking(["a", "b", "a", "c"])).toEqual(["a", "b", "c"]);
    expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
    expect(percentile([], 95)).toBe(0);
    const a = seededRandom(7);
    const b = seededRandom(7);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
  });
});
