import type { VectorHit } from "../../ports/vector-index.js";
import type { DocumentRepository } from "../../ports/document-repository.js";
import { fuseNormalized } from "../fuse.js";
import { lexicalFeatures } from "../lexical-features.js";
import { DEFAULT_RETRIEVAL_SETTINGS, type FusionWeights } from "../retrieve.js";
import { queryVector } from "../sources/dense-source.js";
import type { Candidate, Reranker, RetrievalContext, SourceHit, SourceHits } from "../stages.js";

/**
 * Hybrid and bm25 modes: lexical evidence (best-passage BM25, whole-section BM25, term coverage, phrase proximity,
 * lead match; see `lexical-features.ts`) and, when the dense source ran, the cosine similarity and the dense rank,
 * fused by max-normalised weights. Ties go to the better BM25 rank, then the lower chunk key.
 */
export const fusionReranker: Reranker = {
  runs: (ctx) => ctx.mode !== "dense",
  async rerank(ctx: RetrievalContext, candidates: Candidate[], hits: SourceHits): Promise<Candidate[]> {
    if (candidates.length === 0) return [];
    const features = lexicalFeatures(ctx.termSequence, candidates, ctx.idf, (c) => c, ctx.settings.lexical);
    const dense = hits.get("dense");
    const similarity = dense ? await similarities(ctx.store, candidates, dense, await queryVector(ctx)) : undefined;
    const weights = similarity ? ctx.settings.weights : bm25Only();
    const ranks = denseRanks(dense);
    const scores = fuseNormalized(features.map((f, i) => ({ ...f, dense: Math.max(0, similarity?.[i] ?? 0), denseRank: ranks(candidates[i]!.chunkId) })), weights);
    // Scored in place: the pool's candidates are made per retrieval, and copying ~80 objects of mixed shapes was a
    // slow generic spread. Assignment keeps the key order a spread gave (existing keys stay, new ones follow).
    candidates.forEach((c, i) => {
      c.score = scores[i]!;
      c.lexical = features[i]!;
      const sim = similarity?.[i];
      if (sim !== undefined) c.similarity = sim;
    });
    return candidates
      .slice()
      .sort((a, b) => b.score - a.score || (a.bm25Rank ?? Infinity) - (b.bm25Rank ?? Infinity) || (a.chunkId < b.chunkId ? -1 : a.chunkId > b.chunkId ? 1 : 0));
  },
};

/**
 * BM25 mode ranks by the BM25 evidence alone (best passage and whole section, in the built-in ratio whatever was
 * fitted), the honest single-leg baseline.
 */
function bm25Only(): FusionWeights {
  // Read at call time: retrieve.ts imports this module, so its constants are not initialised while this one loads.
  const { passage, section } = DEFAULT_RETRIEVAL_SETTINGS.weights;
  return { passage, section, coverage: 0, proximity: 0, lead: 0, questionHeading: 0, topicHeading: 0, dense: 0, denseRank: 0 };
}

/**
 * Damping of the dense-rank feature, 1 / (k + rank): small, so the first few nearest neighbours stand apart (RRF's
 * usual 60 makes ranks 1 and 10 almost equal, which suits merging long lists, not picking the first passage).
 */
export const DENSE_RANK_K = 5;

/**
 * The dense-rank feature of a chunk: 1 / (k + its rank among the vector index's hits), 0 when the index did not return
 * it. Cosine similarity says how close a chunk is; its rank says whether any other chunk is closer. With an embedder
 * that sees a section's heading and wording beyond the query's exact terms, being the nearest neighbour is evidence
 * the lexical features miss (a heading such as "Secure boot" over a passage that repeats the question's other words
 * less often than a neighbouring section does).
 */
export function denseRankFeature(rank: number | undefined): number {
  return rank === undefined ? 0 : 1 / (DENSE_RANK_K + rank);
}

function denseRanks(hits: readonly SourceHit[] | undefined): (chunkId: string) => number {
  const rank = new Map((hits ?? []).map((h, i) => [h.chunkId, i + 1]));
  return (id) => denseRankFeature(rank.get(id));
}

/** Cosine of every candidate: from the index hits where known, else from its stored vector (unit length). */
async function similarities(store: Pick<DocumentRepository, "getVectors">, chunks: ReadonlyArray<{ chunkId: string }>, hits: ReadonlyArray<Pick<VectorHit, "chunkId"> & { similarity?: number }>, q: Float32Array): Promise<number[]> {
  const known = new Map(hits.map((h) => [h.chunkId, h.similarity ?? 0]));
  const stored = await store.getVectors(chunks.filter((c) => !known.has(c.chunkId)).map((c) => c.chunkId));
  return chunks.map((c) => {
    const k = known.get(c.chunkId);
    if (k !== undefined) return k;
    const v = stored.get(c.chunkId);
    if (!v || v.length !== q.length) return 0;
    let dot = 0;
    for (let i = 0; i < v.length; i++) dot += v[i]! * q[i]!;
    return dot;
  });
}
