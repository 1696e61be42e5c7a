import type { ChunkFilter, ScriptFamily } from "../domain/chunk.js";
import type { SourceType } from "../domain/document.js";

/** One keyword hit: an opaque chunk key (unique in the whole store, across collections) and its BM25 score. */
export interface KeywordHit { chunkId: string; score: number }

/** Chunk count and per-term chunk frequencies, summed over the collections a query covers. */
export interface KeywordStats {
  chunks: number;
  df: Map<string, number>;
  /**
   * When the statistics are of one script family: the same over every chunk of the collections, from the same read
   * (retrieval needs both to tell whether the collections hold the other family, and a read may be a round trip).
   */
  all?: { chunks: number; df: Map<string, number> };
}

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
 *
 * `stats` can also be asked for one script family: the chunks of the collections whose language is of that family, or
 * unknown. A reply that quotes only such chunks is weighed on their statistics, as if the collection held only them:
 * otherwise a Chinese manual beside English ones has every Chinese term rare (high IDF) and every question term the
 * English manuals hold counted as seen.
 */
export interface KeywordIndex {
  /** Best first, at most `k`; hits carry the store-wide chunk key (`Chunk.id`). */
  search(terms: readonly string[], k: number, filter?: ChunkFilter): Promise<KeywordHit[]>;
  /**
   * Statistics of `terms` over `collections` (undefined: every collection), and only over the chunks of script family
   * `family` (or without a language) when given.
   */
  stats(terms: readonly string[], collections?: readonly string[], family?: ScriptFamily): Promise<KeywordStats>;
}
