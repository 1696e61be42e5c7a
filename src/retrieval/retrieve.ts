import type { Chunk, ChunkFilter, ChunkTerms } from "../domain/chunk.js";
import type { DocumentStore } from "../ports/document-store.js";
import { isTermWeightedQueryEmbedder, type Embedder } from "../ports/embedder.js";
import type { VectorHit, VectorIndex } from "../ports/vector-index.js";
import { analyze, queryTerms } from "../text/analyzer.js";
import { chunkTerms } from "../text/chunk-terms.js";
import { fuseNormalized } from "./fuse.js";
import { bm25Idf } from "./idf.js";
import { DEFAULT_LEXICAL_SETTINGS, lexicalFeatures, type LexicalFeatures, type LexicalSettings } from "./lexical-features.js";

export type RetrievalMode = "hybrid" | "bm25" | "dense";

/** A retrieved chunk with the evidence behind its rank. */
export interface ScoredChunk extends Chunk {
  label: number;
  /** Fused score; comparable only within one result list. */
  score: number;
  bm25Rank?: number;
  denseRank?: number;
  /** Cosine similarity to the query (dense leg), when the dense leg ran. */
  similarity?: number;
  /** Raw lexical evidence of the chunk (bm25 and hybrid modes). */
  lexical?: LexicalFeatures;
}

export interface RetrieveOptions {
  mode?: RetrievalMode;
  topK?: number;
  filter?: ChunkFilter;
}

/** Weight of each evidence feature in the fused score (features are max-normalised over the candidates). */
export type FusionWeights = Record<keyof LexicalFeatures | "dense", number>;

export interface RetrievalSettings {
  /** Candidates taken from each leg before re-ranking. */
  candidates: number;
  weights: FusionWeights;
  /** At most this many chunks of one section (same document and section path) in the result. */
  perSection: number;
  /** Hybrid mode: dense hits outside the BM25 candidates join the pool (else dense only re-ranks). */
  denseCandidates: boolean;
  /** Dense mode: weight query terms by IDF in the query vector, when the embedder supports it (the local one does). */
  weightedQuery: boolean;
  lexical: LexicalSettings;
}

export const DEFAULT_RETRIEVAL_SETTINGS: RetrievalSettings = {
  candidates: 40,
  weights: { passage: 1, section: 0.8, coverage: 0.7, proximity: 0.6, lead: 0.3, dense: 0.4 },
  perSection: 1,
  denseCandidates: true,
  weightedQuery: true,
  lexical: DEFAULT_LEXICAL_SETTINGS,
};

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

type Candidate = ScoredChunk;

/**
 * Retrieval in three modes. Candidates come from BM25 over analyzer tokens (SQLite FTS5) and, except in bm25 mode,
 * from the HNSW index. Dense mode ranks by cosine alone. The other modes re-rank the candidates with lexical
 * evidence computed here (best-passage BM25, whole-section BM25, term coverage, phrase proximity, lead match; see
 * `lexical-features.ts`) and, in hybrid mode, the cosine similarity, by max-normalised score fusion. Finally at most
 * `perSection` chunks per section are kept so one long section cannot crowd out the others.
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
  let queryVector: Float32Array | undefined;
  let denseHits: VectorHit[] = [];
  if (mode !== "bm25") {
    // Hybrid mode already weighs terms by IDF through BM25; the unweighted vector adds more independent evidence.
    queryVector = await embedQuery(deps, query, settings.weightedQuery && mode === "dense");
    embedMs = performance.now() - t1;
    const filterFn = options.filter ? deps.store.labelFilter(options.filter) : undefined;
    denseHits = deps.vectors().search(queryVector, n, filterFn);
  }
  const t2 = performance.now();

  const idf = bm25Idf(deps.store, terms);
  const chunks = mode === "dense"
    ? diversify(denseCandidates(deps.store, denseHits), topK, settings.perSection)
    : withText(deps.store, diversify(rerank(deps.store, terms, idf, bm25Labels, denseHits, queryVector, settings), topK, settings.perSection));
  if (mode === "dense") {
    // Not used for ranking: the lexical evidence of the results lets answerability be judged as in other modes.
    const stored = deps.store.getChunkTerms(chunks.map((c) => c.label));
    lexicalFeatures(terms, chunks, idf, (c) => stored.get(c.label) ?? chunkTerms(c), settings.lexical).forEach((f, i) => (chunks[i]!.lexical = f));
  }
  return {
    query,
    terms,
    chunks,
    topSimilarity: denseHits[0]?.similarity ?? 0,
    timings: { embedMs, bm25Ms: t1 - t0, denseMs: t2 - t1 - embedMs, totalMs: performance.now() - t0 },
  };
}

async function embedQuery(deps: RetrieverDeps, query: string, weighted: boolean): Promise<Float32Array> {
  const { embedder } = deps;
  if (!weighted || !isTermWeightedQueryEmbedder(embedder)) return embedder.embedQuery(query);
  const idf = bm25Idf(deps.store, [...new Set(analyze(query))]);
  return embedder.embedQueryWeighted(query, (t) => idf.get(t) ?? 0);
}

function denseCandidates(store: DocumentStore, hits: readonly VectorHit[]): Candidate[] {
  const chunks = store.getChunks(hits.map((h) => h.label));
  const byLabel = new Map(chunks.map((c) => [c.label, c]));
  return hits.flatMap((h, i) => {
    const c = byLabel.get(h.label);
    return c ? [{ ...c, score: h.similarity, denseRank: i + 1, similarity: h.similarity }] : [];
  });
}

/** A candidate scored on its stored terms; its text is fetched only if it makes the result list. */
type Ranked = Omit<Candidate, keyof Chunk> & Pick<ChunkTerms, "documentId" | "sectionPath">;

function rerank(
  store: DocumentStore,
  terms: readonly string[],
  idf: ReadonlyMap<string, number>,
  bm25Labels: readonly number[],
  denseHits: readonly VectorHit[],
  queryVector: Float32Array | undefined,
  settings: RetrievalSettings,
): Ranked[] {
  const labels = [...new Set([...bm25Labels, ...(settings.denseCandidates || bm25Labels.length === 0 ? denseHits.map((h) => h.label) : [])])];
  if (labels.length === 0) return [];
  // One indexed read of the stored terms instead of fetching and re-analyzing every candidate's text; a label
  // without terms is a chunk deleted since the search, and is dropped.
  const stored = store.getChunkTerms(labels);
  const candidates = labels.flatMap((l) => stored.get(l) ?? []);
  const features = lexicalFeatures(terms, candidates, idf, (c) => c, settings.lexical);
  const similarity = queryVector ? similarities(store, candidates, denseHits, queryVector) : undefined;
  const weights = similarity ? settings.weights : bm25Only(settings.weights);
  const scores = fuseNormalized(features.map((f, i) => ({ ...f, dense: Math.max(0, similarity?.[i] ?? 0) })), weights);
  const bm25Rank = new Map(bm25Labels.map((l, i) => [l, i + 1]));
  const denseRank = new Map(denseHits.map((h, i) => [h.label, i + 1]));
  return candidates
    .map((c, i): Ranked => {
      const b = bm25Rank.get(c.label);
      const d = denseRank.get(c.label);
      const sim = similarity?.[i];
      return {
        label: c.label, documentId: c.documentId, sectionPath: c.sectionPath, score: scores[i]!, lexical: features[i]!,
        ...(b !== undefined ? { bm25Rank: b } : {}), ...(d !== undefined ? { denseRank: d } : {}), ...(sim !== undefined ? { similarity: sim } : {}),
      };
    })
    .sort((a, b) => b.score - a.score || (a.bm25Rank ?? Infinity) - (b.bm25Rank ?? Infinity) || a.label - b.label);
}

/** The full chunks of the ranked results, in rank order (a chunk deleted meanwhile is skipped). */
function withText(store: DocumentStore, ranked: readonly Ranked[]): ScoredChunk[] {
  const chunks = new Map(store.getChunks(ranked.map((r) => r.label)).map((c) => [c.label, c]));
  return ranked.flatMap((r) => {
    const c = chunks.get(r.label);
    return c ? [{ ...c, ...r }] : [];
  });
}

/** BM25 mode ranks by the BM25 evidence alone (best passage and whole section), the honest single-leg baseline. */
function bm25Only(w: FusionWeights): FusionWeights {
  return { passage: w.passage, section: w.section, coverage: 0, proximity: 0, lead: 0, dense: 0 };
}

/** Cosine of every candidate: from the index hits where known, else from its stored vector (unit length). */
function similarities(store: DocumentStore, chunks: ReadonlyArray<{ label: number }>, hits: readonly VectorHit[], q: Float32Array): number[] {
  const known = new Map(hits.map((h) => [h.label, h.similarity]));
  const stored = store.getVectors(chunks.filter((c) => !known.has(c.label)).map((c) => c.label));
  return chunks.map((c) => {
    const k = known.get(c.label);
    if (k !== undefined) return k;
    const v = stored.get(c.label);
    if (!v || v.length !== q.length) return 0;
    let dot = 0;
    for (let i = 0; i < v.length; i++) dot += v[i]! * q[i]!;
    return dot;
  });
}

function diversify<T extends Pick<Chunk, "documentId" | "sectionPath">>(ranked: readonly T[], topK: number, perSection: number): T[] {
  const out: T[] = [];
  const perKey = new Map<string, number>();
  for (const c of ranked) {
    const key = `${c.documentId}\u0000${c.sectionPath.join("\u0000")}`;
    const seen = perKey.get(key) ?? 0;
    if (seen >= perSection) continue;
    perKey.set(key, seen + 1);
    out.push(c);
    if (out.length >= topK) break;
  }
  return out;
}
