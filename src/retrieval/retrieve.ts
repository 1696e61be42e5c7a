import type { Chunk, ChunkFilter } from "../domain/chunk.js";
import type { DocumentStore } from "../ports/document-store.js";
import type { Embedder } from "../ports/embedder.js";
import type { VectorIndex } from "../ports/vector-index.js";
import { queryTerms } from "../text/analyzer.js";
import { reciprocalRankFusion } from "./fuse.js";

export type RetrievalMode = "hybrid" | "bm25" | "dense";

/** A retrieved chunk with the evidence behind its rank. */
export interface ScoredChunk extends Chunk {
  label: number;
  /** Fused score (RRF); comparable only within one result list. */
  score: number;
  bm25Rank?: number;
  denseRank?: number;
  /** Cosine similarity to the query (dense leg), when the chunk was among the dense candidates. */
  similarity?: number;
}

export interface RetrieveOptions {
  mode?: RetrievalMode;
  topK?: number;
  filter?: ChunkFilter;
}

export interface RetrievalSettings {
  /** Candidates taken from each leg before fusion. */
  candidates: number;
  bm25Weight: number;
  denseWeight: number;
  rrfK: number;
  /** At most this many chunks of one section (same document and section path) in the result. */
  perSection: number;
}

export const DEFAULT_RETRIEVAL_SETTINGS: RetrievalSettings = { candidates: 40, bm25Weight: 1, denseWeight: 0.5, rrfK: 20, perSection: 1 };

export interface RetrievalResult {
  query: string;
  terms: string[];
  chunks: ScoredChunk[];
  /** Best cosine similarity among dense candidates (0 when the dense leg did not run). */
  topSimilarity: number;
  timings: { embedMs: number; bm25Ms: number; denseMs: number; totalMs: number };
}

export interface RetrieverDeps {
  store: DocumentStore;
  embedder: Embedder;
  /** The current vector index (a getter: the cache may swap it on rebuild). */
  vectors: () => VectorIndex;
}

/**
 * Hybrid retrieval: BM25 over analyzer tokens and HNSW over embeddings, searched at chunk level, fused with
 * weighted RRF, then at most `perSection` chunks per section so one long section cannot crowd out the others.
 */
export async function retrieve(deps: RetrieverDeps, query: string, options: RetrieveOptions = {}, settings = DEFAULT_RETRIEVAL_SETTINGS): Promise<RetrievalResult> {
  const t0 = performance.now();
  const mode = options.mode ?? "hybrid";
  const topK = options.topK ?? 6;
  const terms = queryTerms(query);
  const n = Math.max(settings.candidates, topK * 3);

  const bm25Labels = mode === "dense" ? [] : deps.store.searchBm25(terms, n, options.filter).map((h) => h.label);
  const t1 = performance.now();
  let embedMs = 0;
  let denseHits: Array<{ label: number; similarity: number }> = [];
  if (mode !== "bm25") {
    const qv = await deps.embedder.embedQuery(query);
    embedMs = performance.now() - t1;
    const filterFn = options.filter ? deps.store.labelFilter(options.filter) : undefined;
    denseHits = deps.vectors().search(qv, n, filterFn);
  }
  const t2 = performance.now();

  const fused = reciprocalRankFusion(
    [
      { name: "bm25", weight: settings.bm25Weight, labels: bm25Labels },
      { name: "dense", weight: mode === "hybrid" ? settings.denseWeight : 1, labels: denseHits.map((h) => h.label) },
    ],
    settings.rrfK,
  );
  const similarity = new Map(denseHits.map((h) => [h.label, h.similarity]));
  const chunks = diversify(deps.store, fused, similarity, topK, settings.perSection);
  return {
    query,
    terms,
    chunks,
    topSimilarity: denseHits[0]?.similarity ?? 0,
    timings: { embedMs, bm25Ms: t1 - t0, denseMs: t2 - t1 - embedMs, totalMs: performance.now() - t0 },
  };
}

function diversify(
  store: DocumentStore,
  fused: ReturnType<typeof reciprocalRankFusion>,
  similarity: Map<number, number>,
  topK: number,
  perSection: number,
): ScoredChunk[] {
  const out: ScoredChunk[] = [];
  const perKey = new Map<string, number>();
  // Fetch in pages: most queries fill topK from the first page.
  for (let start = 0; start < fused.length && out.length < topK; start += topK * 2) {
    const page = fused.slice(start, start + topK * 2);
    const chunks = store.getChunks(page.map((h) => h.label));
    const byLabel = new Map(chunks.map((c) => [c.label, c]));
    for (const hit of page) {
      const chunk = byLabel.get(hit.label);
      if (!chunk) continue;
      const key = `${chunk.documentId}\u0000${chunk.sectionPath.join("\u0000")}`;
      const seen = perKey.get(key) ?? 0;
      if (seen >= perSection) continue;
      perKey.set(key, seen + 1);
      const sim = similarity.get(hit.label);
      out.push({
        ...chunk,
        score: hit.score,
        ...(hit.ranks.bm25 !== undefined ? { bm25Rank: hit.ranks.bm25 } : {}),
        ...(hit.ranks.dense !== undefined ? { denseRank: hit.ranks.dense } : {}),
        ...(sim !== undefined ? { similarity: sim } : {}),
      });
      if (out.length >= topK) break;
    }
  }
  return out;
}
