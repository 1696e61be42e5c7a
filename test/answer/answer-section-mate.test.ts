import { describe, expect, it } from "vitest";
import { answerQuestion, type AnswerDeps } from "../../src/answer/answer.js";
import type { AnswerComposer, ComposeRequest, ComposedAnswer } from "../../src/answer/composer.js";
import type { RetrievalResult, ScoredChunk } from "../../src/retrieval/retrieve.js";

function chunk(id: string, sectionPath: string[], text: string, score: number): ScoredChunk {
  return {
    id, documentId: "hub.md", title: "Hub Manual", sectionPath, position: 0, text, contentHash: id, tokenCount: 20, collection: "default",
    sourceType: "manual", language: "en", score, bm25Rank: 1, denseRank: 1, similarity: 0.8,
  };
}

const TOP = chunk("hub.md#2", ["Reset"], "Resetting the hub clears its settings and its pairings.", 0.05);
const MATE = chunk("hub.md#1", ["Reset"], "Press and hold the reset button for 12 seconds until the LED ring blinks red.", 0.045);
const OTHERS = [1, 2, 3, 4].map((k) => chunk(`hub.md#${10 + k}`, [`Section ${k}`], `Section ${k} of the hub manual is about its lights.`, 0.04 - k / 1000));

/** Records the sources it is given and refuses (what it is given is what this test is about). */
class Recorder implements AnswerComposer {
  readonly kind = "extractive" as const;
  readonly seen: ComposeRequest[] = [];
  async compose(request: ComposeRequest): Promise<ComposedAnswer> {
    this.seen.push(request);
    return { text: "", refused: true, degraded: false };
  }
}

async function sourcesGiven(chunks: ScoredChunk[], sectionMate?: ScoredChunk): Promise<string[]> {
  const composer = new Recorder();
  const retrieval = { query: "q", terms: ["reset", "hub"], chunks, topSimilarity: 0.8, timings: { embedMs: 0, bm25Ms: 0, denseMs: 0, totalMs: 0 }, ...(sectionMate ? { sectionMate } : {}) } as RetrievalResult;
  const deps: AnswerDeps = {
    retrieve: async () => retrieval, composer, idf: async (terms) => new Map(terms.map((t) => [t, 1])),
    settings: { minConfidence: 0, topK: 6, sources: 4, minSupport: 0.5 }, newId: () => "a",
  };
  await answerQuestion(deps, { question: "How do I reset the hub?" });
  return composer.seen[0]?.sources.map((s) => `${s.n}:${s.chunkId}${s.sectionMate ? " (mate)" : ""}`) ?? [];
}

describe("answer use case: the top section's mate", () => {
  it("is given to the composer as source 2, on top of the usual sources", async () => {
    expect(await sourcesGiven([TOP, ...OTHERS], MATE)).toEqual(["1:hub.md#2", "2:hub.md#1 (mate)", "3:hub.md#11", "4:hub.md#12", "5:hub.md#13"]);
  });

  it("is left out when it is not of the top chunk's section", async () => {
    const stray = { ...MATE, sectionPath: ["Pairing"] };
    expect(await sourcesGiven([TOP, ...OTHERS], stray)).toEqual(["1:hub.md#2", "2:hub.md#11", "3:hub.md#12", "4:hub.md#13"]);
  });
});
