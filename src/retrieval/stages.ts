import type { ChunkFilter, ChunkTerms, ScriptFamily } from "../domain/chunk.js";
import type { DocumentRepository } from "../ports/document-repository.js";
import type { KeywordIndex } from "../ports/keyword-index.js";
import type { VectorIndex } from "../ports/vector-index.js";
import type { LexicalFeatures } from "./lexical-features.js";
import type { QueryMemo } from "./query-memo.js";
import type { RetrievalMode, RetrievalSettings } from "./retrieve.js";

/**
 * The serving pipeline's retrieval stages: candidate sources → re-rankers → diversify → hydrate. A new candidate
 * source or re-ranker is one file implementing one of the two interfaces below, added to the list in `retrieve.ts`.
 */

/** Everything known about the question when retrieval runs, computed once (see `QueryMemo`). */
export interface RetrievalContext {
  query: string;
  /** Analyzer terms of the query (BM25's tokens). */
  terms: string[];
  /** The query's terms in order with repeats (`queryTermSequence`): adjacent pairs for the proximity evidence. */
  termSequence: string[];
  /** IDF of `terms` over the chunks of the collections the filter covers (of `scriptFamily`, when set). */
  idf: ReadonlyMap<string, number>;
  mode: RetrievalMode;
  topK: number;
  /** Candidates taken from each source. */
  candidates: number;
  filter?: ChunkFilter;
  /**
   * The script family the ranked chunks are kept to, when set (`RetrieveOptions.scriptFamily`): the statistics are its
   * chunks', and `filter.scriptFamily` keeps the sources to them where the collections hold the other family too.
   */
  scriptFamily?: ScriptFamily;
  settings: RetrievalSettings;
  memo: QueryMemo;
  store: Pick<DocumentRepository, "getChunks" | "getChunkTerms" | "getVectors">;
  keywords: KeywordIndex;
  vectors: () => VectorIndex;
}

/** One hit of a candidate source, best first. */
export interface SourceHit {
  /** The chunk key (`Chunk.id`). */
  chunkId: string;
  /** Cosine similarity to the query, when the source measured it. */
  similarity?: number;
}

/** Where candidates come from (BM25, the vector index, …). */
export interface CandidateSource {
  /** Names the rank field a hit gets ("bm25" → bm25Rank, "dense" → denseRank). */
  readonly name: "bm25" | "dense";
  /** Whether this source runs in `ctx.mode`. */
  runs(ctx: RetrievalContext): boolean;
  /** Whether its hits join the pool (else they only inform re-rankers), given the pool from the sources before. */
  joinsPool(ctx: RetrievalContext, poolSoFar: number): boolean;
  hits(ctx: RetrievalContext): Promise<SourceHit[]>;
}

/** A pooled candidate: where it sits and its stored terms (no text yet), with the evidence gathered so far. */
export interface Candidate extends ChunkTerms {
  score: number;
  bm25Rank?: number;
  denseRank?: number;
  similarity?: number;
  lexical?: LexicalFeatures;
}

/** Every source's hits (in source order), for re-rankers that weigh them. */
export type SourceHits = ReadonlyMap<CandidateSource["name"], readonly SourceHit[]>;

/**
 * Re-orders (and re-scores) the pool; re-rankers run in sequence. The pool's candidates belong to one retrieval, so a
 * re-ranker may score them in place.
 */
export interface Reranker {
  runs(ctx: RetrievalContext): boolean;
  rerank(ctx: RetrievalContext, candidates: Candidate[], hits: SourceHits): Promise<Candidate[]>;
}
