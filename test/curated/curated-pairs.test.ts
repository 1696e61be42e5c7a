import { describe, expect, it } from "vitest";
import { addWord, curatedCases, NEAR_MISS_OPERATORS, sectionPairs } from "../../src/eval/curated-pairs.js";
import type { EvalQuestion } from "../../src/eval/dataset.js";

// The store's own behaviour is the conformance suite's (test/ports/curated-store.conformance.ts, both backends).
describe("measurement pairs", () => {
  const q = (id: string, gold: string, answer: string, kind?: string): EvalQuestion => ({ id, question: `question ${id}`, answer, gold: [gold], answerable: true, ...(kind ? { kind } : {}) });
  const questions = [
    q("a1", "s1", "press the home button and choose settings"),
    q("a2", "s1", "press the home button and choose settings", "paraphrased"),
    q("a3", "s1", "something else entirely about the section"),
    q("b1", "s2", "turn the tv off and on again"),
    q("b2", "s2", "unplug it for a minute"),
    q("c1", "s3", "one question only"),
  ];

  it("paraphrase pairs share a section and the reference answer; same-section pairs are different questions", () => {
    expect(sectionPairs(questions, "paraphrase").map(([a, b]) => [a.id, b.id])).toEqual([["a1", "a2"]]);
    expect(sectionPairs(questions, "same-section").map(([a, b]) => [a.id, b.id])).toEqual([["b1", "b2"]]);
  });

  it("unrelated questions come from other sections: the nearest by overlap, and a seeded random one", () => {
    const overlap = (_a: EvalQuestion, b: EvalQuestion): number => (b.id === "c1" ? 5 : 1);
    const [c] = curatedCases(questions, "paraphrase", overlap, 1);
    expect(c?.nearest.id).toBe("c1");
    expect(["b1", "b2", "c1"]).toContain(c?.random.id);
    expect(curatedCases(questions, "paraphrase", overlap, 1)).toEqual(curatedCases(questions, "paraphrase", overlap, 1));
  });

  it("the adds-a-word near miss is the curated question with one operator inserted, every word kept", () => {
    expect(addWord("How do I pair the remote?", "cancel")).toBe("How do I cancel pair the remote?");
    expect(addWord("?", "stop")).toBe("stop ?");
    const [c] = curatedCases(questions, "paraphrase", () => 1, 1);
    const added = c!.addsWord.question.split(" ").filter((w) => !c!.curated.question.split(" ").includes(w));
    expect(added).toHaveLength(1);
    expect(NEAR_MISS_OPERATORS).toContain(added[0]);
    expect(c!.addsWord.gold).toEqual(c!.curated.gold);
  });
});
