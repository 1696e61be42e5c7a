import { describe, expect, it } from "vitest";
import { clusterTexts, jaccard, termSet } from "../../src/assist/cluster.js";

describe("greedy clustering of questions", () => {
  it("jaccard", () => {
    expect(jaccard(new Set(["a", "b"]), new Set(["b", "c"]))).toBeCloseTo(1 / 3);
    expect(jaccard(new Set(), new Set())).toBe(0);
    expect(jaccard(new Set(["a"]), new Set(["a"]))).toBe(1);
  });

  it("groups paraphrases (stems, question words ignored) and keeps unrelated questions apart", () => {
    const questions = [
      "How much does the HomeHub 4 cost?",
      "Can I pair a Philips Hue bridge?",
      "What is the price of the HomeHub 4?",
      "HomeHub 4 cost?",
      "Does it pair with Hue bridges?",
      "Is there a dark mode in the app?",
    ];
    const clusters = clusterTexts(questions, (q) => q, 0.3);
    expect(clusters.map((c) => c.members)).toEqual([
      ["How much does the HomeHub 4 cost?", "What is the price of the HomeHub 4?", "HomeHub 4 cost?"],
      ["Can I pair a Philips Hue bridge?", "Does it pair with Hue bridges?"],
      ["Is there a dark mode in the app?"],
    ]);
    expect(clusters[0]?.representative).toBe("How much does the HomeHub 4 cost?");
  });

  it("the threshold decides: 1 keeps only identical term sets together, a tiny one merges overlapping ones", () => {
    const qs = ["reset the hub", "hub reset", "reset the remote"];
    expect(clusterTexts(qs, (q) => q, 1).map((c) => c.members.length)).toEqual([2, 1]);
    expect(clusterTexts(qs, (q) => q, 0.01).map((c) => c.members.length)).toEqual([3]);
  });

  it("clusters Chinese questions through CJK terms", () => {
    const clusters = clusterTexts(["如何恢复出厂设置", "怎么恢复出厂设置？", "遥控器怎么配对"], (q) => q, 0.4);
    expect(clusters.map((c) => c.members.length)).toEqual([2, 1]);
    expect(termSet("恢复出厂设置").size).toBeGreaterThan(0);
  });
});
