import type { Candidate, Reranker } from "../stages.js";

/** Dense mode ranks by cosine similarity alone, in the index's order. */
export const denseOrderReranker: Reranker = {
  runs: (ctx) => ctx.mode === "dense",
  rerank: async (_ctx, candidates: Candidate[]) =>
    candidates
      .filter((c) => c.denseRank !== undefined)
      .map((c) => ({ ...c, score: c.similarity ?? 0 }))
      .sort((a, b) => (a.denseRank ?? Infinity) - (b.denseRank ?? Infinity)),
};
