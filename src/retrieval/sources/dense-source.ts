import type { CandidateSource, RetrievalContext, SourceHit } from "../stages.js";

/**
 * Nearest neighbours of the query vector in the vector index. Hybrid mode already weighs terms by IDF through BM25, so
 * its vector is unweighted (more independent evidence); dense mode weighs query terms by IDF when configured.
 */
export const denseSource: CandidateSource = {
  name: "dense",
  runs: (ctx) => ctx.mode !== "bm25",
  // Hybrid: dense hits outside the BM25 candidates join the pool only when configured (else they only re-rank).
  joinsPool: (ctx, poolSoFar) => ctx.mode === "dense" || ctx.settings.denseCandidates || poolSoFar === 0,
  async hits(ctx: RetrievalContext): Promise<SourceHit[]> {
    const vector = await queryVector(ctx);
    const hits = await ctx.vectors().search(vector, ctx.candidates, ctx.filter);
    return hits.map((h) => ({ chunkId: h.chunkId, similarity: h.similarity }));
  },
};

/** The query vector this mode uses (embedded once per question through the memo). */
export function queryVector(ctx: RetrievalContext): Promise<Float32Array> {
  return ctx.memo.embed(ctx.query, ctx.settings.weightedQuery && ctx.mode === "dense", ctx.filter?.collections, ctx.scriptFamily);
}
