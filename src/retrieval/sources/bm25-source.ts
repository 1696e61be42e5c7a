import type { CandidateSource, RetrievalContext, SourceHit } from "../stages.js";

/** BM25 over analyzer tokens (the keyword index): the lexical candidates. Not used in dense mode. */
export const bm25Source: CandidateSource = {
  name: "bm25",
  runs: (ctx) => ctx.mode !== "dense",
  joinsPool: () => true,
  async hits(ctx: RetrievalContext): Promise<SourceHit[]> {
    const hits = await ctx.keywords.search(ctx.terms, ctx.candidates, ctx.filter);
    return hits.map((h) => ({ chunkId: h.chunkId }));
  },
};
