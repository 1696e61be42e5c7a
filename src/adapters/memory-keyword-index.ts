import type { ChunkFilter, ChunkTerms, ScriptFamily } from "../domain/chunk.js";
import { chunkTermsInMemory } from "../index/chunk-terms-memory.js";
import type { KeywordDoc, KeywordHit, KeywordIndex, KeywordStats } from "../ports/keyword-index.js";
import type { FollowingKeywordIndex } from "../index/keyword-follower.js";
import { FTS5_BM25, keywordSearch, keywordStats, SearchScratch, type Bm25Params } from "../index/keyword-search.js";
import { readKeywordSnapshot, writeKeywordSnapshot } from "../index/keyword-snapshot.js";
import { KeywordStore } from "../index/keyword-store.js";

/**
 * The serving processes' keyword index: an in-memory inverted index (src/index/keyword-store.ts) scored with
 * FTS5's BM25 exactly, statistics scoped to the collections a query covers. Kept current by a
 * KeywordIndexFollower; saved and loaded as a versioned binary snapshot.
 */
export class MemoryKeywordIndex implements KeywordIndex, FollowingKeywordIndex {
  private readonly scratch = new SearchScratch();

  constructor(private readonly store: KeywordStore = new KeywordStore(), private readonly params: Bm25Params = FTS5_BM25) {}

  /** The index in a snapshot file, or why it cannot be used (missing, foreign, corrupt, other pipeline version). */
  static async load(file: string, pipeline: string, params: Bm25Params = FTS5_BM25): Promise<{ index: MemoryKeywordIndex; seq: number } | { reason: string }> {
    const read = await readKeywordSnapshot(file, pipeline);
    return read.ok ? { index: new MemoryKeywordIndex(read.store, params), seq: read.seq } : { reason: read.reason };
  }

  /** Writes a snapshot atomically (compacting first); returns its size in bytes. */
  save(file: string, pipeline: string, seq: number): Promise<number> {
    return writeKeywordSnapshot(file, this.store, { pipeline, seq });
  }

  get size(): number {
    return this.store.size;
  }

  upsert(docs: readonly KeywordDoc[]): void {
    this.store.upsert(docs);
  }

  remove(chunkIds: readonly string[]): number {
    return this.store.remove(chunkIds);
  }

  has(chunkId: string): boolean {
    return this.store.slotOf.has(chunkId);
  }

  async search(terms: readonly string[], k: number, filter?: ChunkFilter): Promise<KeywordHit[]> {
    return keywordSearch(this.store, this.params, this.scratch, terms, k, filter);
  }

  /** The stored terms of the chunks this index keeps them for (see `KeywordDoc.sectionPath`), in the order of `chunkIds`. */
  chunkTerms(chunkIds: readonly string[]): Map<string, ChunkTerms> {
    const out = new Map<string, ChunkTerms>();
    for (const id of chunkIds) {
      const terms = chunkTermsInMemory(this.store, id);
      if (terms) out.set(id, terms);
    }
    return out;
  }

  async stats(terms: readonly string[], collections?: readonly string[], family?: ScriptFamily): Promise<KeywordStats> {
    return keywordStats(this.store, terms, collections, family);
  }
}
