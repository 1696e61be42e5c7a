import { describe, expect, it } from "vitest";
import type { EvalQuestion } from "../../src/eval/dataset.js";
import { evaluateFull, report, type EvalSystem } from "../../src/eval/run-eval.js";

/** A system whose ranking is fixed per question: chunk-level hits (with repeats) mapped to documents. */
function fixedSystem(rankings: Record<string, string[]>): EvalSystem {
  return {
    name: "fixed",
    search: async (q) => rankings[q] ?? [],
    answer: async (q) => ({ text: q, citedDocuments: (rankings[q] ?? []).slice(0, 1), answered: (rankings[q] ?? []).length > 0 }),
  };
}

describe("per-question outcomes", () => {
  const questions: EvalQuestion[] = [
    { id: "q1", question: "first", gold: ["b"], answerable: true },
    { id: "q2", question: "second", gold: ["z"], answerable: true },
    { id: "q3", question: "off topic", gold: [], answerable: false },
    { id: "q4", question: "fourth", gold: ["a"], answerable: true },
  ];
  const system = fixedSystem({ first: ["a", "a", "b", "c"], second: ["a", "b"], "off topic": [], fourth: ["a"] });

  it("records each answerable question's gold rank over distinct documents (0 = not in the top 10)", async () => {
    const tally = await evaluateFull(system, questions);
    expect(tally.outcomes).toEqual([
      { id: "q1", goldRank: 2, ranked: ["a", "b", "c"], answered: true },
      { id: "q2", goldRank: 0, ranked: ["a", "b"], answered: true },
      { id: "q4", goldRank: 1, ranked: ["a"], answered: true },
    ]);
  });

  it("agrees with the aggregate recall@1 and MRR", async () => {
    const tally = await evaluateFull(system, questions);
    const r = report(tally);
    const ranks = tally.outcomes.map((o) => o.goldRank);
    expect(r["recall@1"]).toBeCloseTo(ranks.filter((k) => k === 1).length / ranks.length, 3);
    expect(r["mrr@10"]).toBeCloseTo(ranks.reduce((s, k) => s + (k > 0 ? 1 / k : 0), 0) / ranks.length, 3);
  });
});
