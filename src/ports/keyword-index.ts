import type { ChunkFilter } from "../domain/chunk.js";
import type { SourceType } from "../domain/document.js";

/** One keyword hit: an opaque chunk key (unique in the whole store, across collections) and its BM25 score. */
export interface KeywordHit { chunkId: string; score: number }

/** Chunk count and per-term chunk frequencies, summed over the collections a query covers. */
export interface KeywordStats { chunks: number; df: Map<string, number> }

/** What a keyword index stores of one chunk: its key, analyzer terms, and the fields filters are evaluated on. */
export interface KeywordDoc {
  chunkId: string;
  /** Analyzer terms of section path + title (weighted field, weight 2 today). */
  titleTokens: string[];
  /** Analyzer terms of the text (weight 1). */
  bodyTokens: string[];
  collection: string;
  documentId: string;
  sourceType: SourceType;
  product?: string;
  language?: string;
  /**
   * The chunk's section path and position in its document: with both, an in-memory index can also give back the
   * chunk's terms for re-ranking (`ChunkTerms`) without a store read; a doc without them is only searched.
   */
  sectionPath?: string[];
  position?: number;
}

/**
 * BM25 over the analyzer's terms with FTS5's formula (k1 1.2, b 0.75, per-column weights, as
 * src/adapters/sqlite-bm25.ts documents). Statistics (chunk count, df, average field lengths) are those of the
 * collections the filter covers (filter.collections; undefined = every collection), so one collection's documents
 * never shift another collection's ranking or refusals. Other filter fields (sourceTypes, products, languages,
 * documentIds, ticketCollections) restrict hits but do not change statistics.
 */
export interface KeywordIndex {
  /** Best first, at most `k`; hits carry the store-wide chunk key (`Chunk.id`). */
  search(terms: readonly string[], k: number, filter?: ChunkFilter): Promise<KeywordHit[]>;
  /** Statistics of `terms` over `collections` (undefined: every collection). */
  stats(terms: readonly string[], collections?: readonly string[]): Promise<KeywordStats>;
}
