import { describe, expect, it } from "vitest";
import type { RetrievalResult, ScoredChunk } from "../../src/retrieval/retrieve.js";
import { confidenceFeatures, confidenceScore, REFERENCE_TERMS, scaledSimilarity } from "../../src/retrieval/confidence.js";

function chunk(documentId: string, score: number, extra: Partial<ScoredChunk> = {}): ScoredChunk {
  return {
    id: `${documentId}#x`, documentId, title: "Manual", sectionPath: [], position: 0, text: "Reset the remote by holding Home.",
    contentHash: "x", tokenCount: 8, collection: "default", sourceType: "manual", score, ...extra,
  };
}

function result(chunks: ScoredChunk[], terms = ["reset", "remot"]): RetrievalResult {
  return { query: "q", terms, chunks, topSimilarity: chunks[0]?.similarity ?? 0, timings: { embedMs: 0, bm25Ms: 0, denseMs: 0, totalMs: 0 } };
}

// Every query term of these results weighs 1.
const idf = new Map(["reset", "remot", "wifi"].map((t) => [t, 1]));

describe("confidence", () => {
  it("reads the top chunk's lexical evidence, its lead over the next result and leg agreement", () => {
    const top = chunk("a", 2, { bm25Rank: 1, denseRank: 2, similarity: 0.6, lexical: { passage: 2, section: 2, coverage: 1, proximity: 1, lead: 0, questionHeading: 0, topicHeading: 0 } });
    const f = confidenceFeatures({ ...result([top, chunk("b", 1)]), queryEvidence: { unseen: 0.25, apart: 0.1 } }, idf);
    expect(f).toEqual({ coverage: 1, passage: 1, proximity: 1, similarity: 0.6, scaledSimilarity: 0.6 * Math.sqrt(2 / REFERENCE_TERMS), margin: 0.5, agreement: 1, unseen: 0.25, apart: 0.1 });
  });

  it("puts the cosine of short and long questions on one scale: × √(terms / reference), capped at 1", () => {
    expect(scaledSimilarity(0.4, REFERENCE_TERMS)).toBeCloseTo(0.4, 12);
    // A question four times as long spreads its vector over four times the features: half the cosine, same evidence.
    expect(scaledSimilarity(0.2, 4 * REFERENCE_TERMS)).toBeCloseTo(2 * scaledSimilarity(0.2, REFERENCE_TERMS), 12);
    expect(scaledSimilarity(0.9, 100 * REFERENCE_TERMS)).toBe(1);
    expect(scaledSimilarity(-0.1, 4)).toBe(0);
    expect(scaledSimilarity(0.3, 0)).toBe(scaledSimilarity(0.3, 1));
  });

  it("falls back to term coverage of the text when lexical evidence is missing, and is zero without results", () => {
    expect(confidenceFeatures(result([chunk("a", 1)], ["reset", "wifi"]), idf).coverage).toBe(0.5);
    expect(confidenceScore(confidenceFeatures(result([]), idf))).toBeLessThan(0.1);
    expect(confidenceFeatures(result([chunk("a", 1)]), idf).margin).toBe(0);
  });

  it("is 0 for a question naming as one thing what no document writes together, whatever the other evidence", () => {
    const strong = { coverage: 1, passage: 1, proximity: 1, similarity: 0.5, scaledSimilarity: 0.9, margin: 0.5, agreement: 1, unseen: 0, apart: 0 };
    expect(confidenceScore(strong)).toBeGreaterThan(0.5);
    expect(confidenceScore({ ...strong, apart: 0.2 })).toBe(0);
  });

  it("grows with better evidence", () => {
    const weak = { coverage: 0.3, passage: 0.3, proximity: 0, similarity: 0.2, scaledSimilarity: 0.1, margin: 0, agreement: 0, unseen: 0.5, apart: 0 };
    const strong = { coverage: 1, passage: 1, proximity: 1, similarity: 0.5, scaledSimilarity: 0.3, margin: 0.3, agreement: 1, unseen: 0, apart: 0 };
    expect(confidenceScore(strong)).toBeGreaterThan(confidenceScore(weak) + 0.3);
  });

  it("shifts the logit by the question language's bias, by primary tag, and not for other languages", () => {
    const f = { coverage: 0.6, passage: 0.6, proximity: 0.3, similarity: 0.3, scaledSimilarity: 0.2, margin: 0.2, agreement: 1, unseen: 0, apart: 0 };
    const model = { bias: -2, coverage: 1, passage: 1, proximity: 1, similarity: 0, scaledSimilarity: 0, margin: 1, agreement: 0.5, unseen: -1, languageBias: { zh: 0.8 } };
    const logit = (p: number) => Math.log(p / (1 - p));
    const plain = confidenceScore(f, model);
    expect(confidenceScore(f, model, "en")).toBe(plain);
    expect(logit(confidenceScore(f, model, "zh")) - logit(plain)).toBeCloseTo(0.8, 9);
    expect(confidenceScore(f, model, "zh-Hans-CN")).toBe(confidenceScore(f, model, "zh"));
    const { languageBias: _, ...withoutBias } = model;
    expect(confidenceScore(f, withoutBias, "zh")).toBe(plain);
    // The default model raises Chinese confidence (calibrated on a Chinese knowledge base), not English.
    expect(confidenceScore(f, undefined, "zh")).toBeGreaterThan(confidenceScore(f, undefined, "en"));
    expect(confidenceScore(f, undefined, "en")).toBe(confidenceScore(f));
  });
});
