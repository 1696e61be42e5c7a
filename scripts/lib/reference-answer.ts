import { ExtractiveComposer } from "../../src/answer/extractive.js";
import { verifyAnswer } from "../../src/answer/verify-citations.js";
import type { Citation } from "../../src/domain/answer.js";
import type { LangChainReference } from "./langchain-reference.js";

/**
 * The LangChain reference's answer: its top-4 chunks, quoted extractively by our composer and checked by our
 * citation verifier. It has no refusal of its own (LangChain's pipeline always answers); every retrieved chunk may
 * be quoted, so our score gate is off.
 */
export async function referenceAnswer(ref: LangChainReference, question: string, exclude?: ReadonlySet<string>): Promise<{ text: string; citations: Citation[]; answered: boolean }> {
  const composer = new ExtractiveComposer({ minSourceScore: 0 });
  const hits = await ref.search(question, 4, exclude);
  // HNSWLib reports cosine distance; sources carry a score where higher is better (the composer compares them).
  const sources = hits.map((h, i) => ({
    n: i + 1, chunkId: `reference-${i}`, documentId: h.documentId, title: h.title, sectionPath: [], sourceType: "manual" as const, text: h.text, score: 1 - h.score,
    ...(h.page !== undefined ? { page: h.page } : {}),
  }));
  const draft = await composer.compose({ question, language: "en", sources });
  const verified = verifyAnswer(draft.text, sources);
  return { text: verified.text, citations: verified.citations, answered: !verified.refused };
}
