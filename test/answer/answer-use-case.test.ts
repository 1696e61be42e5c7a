import { describe, expect, it } from "vitest";
import { answerQuestion, type AnswerDeps } from "../../src/answer/answer.js";
import type { AnswerComposer, ComposeRequest, ComposedAnswer } from "../../src/answer/composer.js";
import type { RetrievalResult, ScoredChunk } from "../../src/retrieval/retrieve.js";

const CHUNK: ScoredChunk = {
  id: "hub.md#1", documentId: "hub.md", title: "Hub Manual", sectionPath: ["Reset"], position: 0,
  text: "Press and hold the reset button for 12 seconds until the LED ring blinks red.", contentHash: "h",
  tokenCount: 20, collection: "default", sourceType: "manual", language: "en", score: 0.05, bm25Rank: 1, denseRank: 1, similarity: 0.8,
};

function result(chunks: ScoredChunk[]): RetrievalResult {
  return { query: "q", terms: ["reset", "button"], chunks, topSimilarity: chunks[0]?.similarity ?? 0, timings: { embedMs: 0, bm25Ms: 0, denseMs: 0, totalMs: 0 } } as RetrievalResult;
}

class FixedComposer implements AnswerComposer {
  readonly kind = "extractive" as const;
  readonly seen: ComposeRequest[] = [];
  constructor(private readonly reply: ComposedAnswer) {}
  async compose(request: ComposeRequest): Promise<ComposedAnswer> {
    this.seen.push(request);
    return this.reply;
  }
}

function deps(chunks: ScoredChunk[], composer: AnswerComposer, minConfidence: number): AnswerDeps {
  return {
    retrieve: async () => result(chunks),
    composer,
    idf: async (terms) => new Map(terms.map((t) => [t, 1])),
    settings: { minConfidence, topK: 6, sources: 4, minSupport: 0.5 },
    newId: () => "answer-1",
  };
}

const GOOD: ComposedAnswer = { text: "Press and hold the reset button for 12 seconds until the LED ring blinks red [1].", refused: false, degraded: false };

describe("answer use case", () => {
  it("answers with verified, renumbered citations when evidence is strong", async () => {
    const a = await answerQuestion(deps([CHUNK], new FixedComposer(GOOD), 0), { question: "How do I reset the hub?" });
    expect(a).toMatchObject({ id: "answer-1", answerable: true, escalate: false, escalationReasons: [], degraded: false, language: "en" });
    expect(a.citations).toHaveLength(1);
    expect(a.citations[0]).toMatchObject({ n: 1, documentId: "hub.md", sectionPath: ["Reset"] });
  });

  it("refuses without citations and escalates when there is no evidence", async () => {
    const composer = new FixedComposer(GOOD);
    const a = await answerQuestion(deps([], composer, 0), { question: "How do I install Windows?" });
    expect(a).toMatchObject({ answerable: false, citations: [], escalate: true, escalationReasons: ["no-evidence"] });
    expect(composer.seen).toHaveLength(0);
  });

  it("refuses below the confidence threshold without calling the composer", async () => {
    const composer = new FixedComposer(GOOD);
    const a = await answerQuestion(deps([CHUNK], composer, 1.01), { question: "How do I reset the hub?" });
    expect(a).toMatchObject({ answerable: false, citations: [], escalate: true, escalationReasons: ["low-confidence"] });
    expect(composer.seen).toHaveLength(0);
  });

  it("scores confidence with the bias of the question's language", async () => {
    const model = { bias: 0, coverage: 0, passage: 0, proximity: 0, similarity: 0, scaledSimilarity: 0, margin: 0, agreement: 0, unseen: 0, languageBias: { zh: 2 } };
    const withModel = (minConfidence: number): AnswerDeps => ({ ...deps([CHUNK], new FixedComposer(GOOD), minConfidence), settings: { minConfidence, topK: 6, sources: 4, minSupport: 0.5, confidenceModel: model } });
    const en = await answerQuestion(withModel(0.6), { question: "How do I reset the hub?" });
    expect(en.confidence).toBeCloseTo(0.5, 9);
    expect(en.escalationReasons).toEqual(["low-confidence"]);
    const zh = await answerQuestion(withModel(0.6), { question: "如何重置集线器？" });
    expect(zh.confidence).toBeCloseTo(1 / (1 + Math.exp(-2)), 9);
    expect(zh.escalationReasons).not.toContain("low-confidence");
  });

  it("refuses when the composer says the sources do not contain the answer", async () => {
    const a = await answerQuestion(deps([CHUNK], new FixedComposer({ text: "", refused: true, degraded: false }), 0), { question: "How do I reset the hub?" });
    expect(a).toMatchObject({ answerable: false, citations: [] });
  });

  it("refuses when nothing of the draft survives verification (invented citation, unsupported text)", async () => {
    const invented = new FixedComposer({ text: "The hub ships with a free TV [3]. Call 0800 123 456 for a refund [1].", refused: false, degraded: true });
    const a = await answerQuestion(deps([CHUNK], invented, 0), { question: "How do I reset the hub?" });
    expect(a).toMatchObject({ answerable: false, citations: [], escalate: true, degraded: true });
    expect(a.escalationReasons).toContain("unsupported-answer");
    expect(a.answer).not.toContain("free TV");
  });

  it("writes refusals in the question's language", async () => {
    const a = await answerQuestion(deps([], new FixedComposer(GOOD), 0), { question: "如何安装视窗系统？" });
    expect(a.language).toBe("zh");
    expect(a.answer).toMatch(/\p{Script=Han}/u);
  });
});
