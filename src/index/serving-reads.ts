import type { Chunk, ChunkTerms } from "../domain/chunk.js";
import type { DocumentRepository } from "../ports/document-repository.js";
import { DependencyUnavailableError, isConnectionError } from "../errors.js";

/** The store reads answering makes after the in-memory indexes ranked the candidates. */
export type ServingReads = Pick<DocumentRepository, "getChunks" | "getChunkTerms" | "getVectors">;

export interface OutageTolerantOptions {
  /** Chunks remembered per kind of read (least recently used dropped first). */
  maxEntries?: number;
  /** After a connection failure, reads go to the cache alone this long before the store is tried again. */
  retryAfterMs?: number;
  now?: () => number;
}

/** Reads that can be remembered ahead of any question. */
export interface WarmableReads {
  /**
   * Reads and remembers these chunks now (the follower calls it with chunks just added, so a document ingested on
   * another machine right before an outage is still answerable during it). Never throws; skipped while the store is
   * down and for batches larger than the cache (a rebuild).
   */
  warm(ids: readonly string[]): Promise<void>;
}

/** A bounded least-recently-used map. */
class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) { this.map.delete(key); this.map.set(key, v); }
    return v;
  }
  set(key: string, v: V): void {
    this.map.delete(key);
    this.map.set(key, v);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
  }
}

/**
 * Store reads of a serving process that outlive a store outage: every successful read is remembered (bounded LRU per
 * kind), and while the store is unreachable reads are answered from what was remembered, so the in-memory indexes
 * keep answering questions whose passages were read before. Results for chunks not remembered are left out (as if
 * deleted); when none of the asked chunks is remembered the outage is reported (503). Only connection failures fall
 * back: any other error is a bug and is thrown. Deleted chunks never come back from here: the indexes, which follow
 * the change log, no longer rank them.
 */
export function outageTolerantReads(store: ServingReads, options: OutageTolerantOptions = {}): ServingReads & WarmableReads {
  const max = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  const retryAfterMs = options.retryAfterMs ?? 1000;
  let downUntil = 0;
  const read = <V>(cache: Lru<V>, fetch: (ids: readonly string[]) => Promise<Map<string, V>>) => async (ids: readonly string[]): Promise<Map<string, V>> => {
    if (ids.length === 0 || now() >= downUntil) {
      try {
        const found = await fetch(ids);
        for (const [id, v] of found) cache.set(id, v);
        return found;
      } catch (err) {
        if (!isConnectionError(err)) throw err;
        downUntil = now() + retryAfterMs;
        return fromCache(cache, ids, err);
      }
    }
    return fromCache(cache, ids, undefined);
  };
  const chunks = read(new Lru<Chunk>(max), async (ids) => new Map((await store.getChunks(ids)).map((c) => [c.id, c])));
  const terms = read(new Lru<ChunkTerms>(max), (ids) => store.getChunkTerms(ids));
  const vectors = read(new Lru<Float32Array>(max), (ids) => store.getVectors(ids));
  return {
    getChunks: async (ids) => { const m = await chunks(ids); return ids.flatMap((id) => { const c = m.get(id); return c ? [c] : []; }); },
    getChunkTerms: terms,
    getVectors: vectors,
    warm: async (ids) => {
      if (ids.length === 0 || ids.length > max || now() < downUntil) return;
      await Promise.all([chunks(ids), terms(ids), vectors(ids)]).catch(() => undefined);
    },
  };
}

function fromCache<V>(cache: Lru<V>, ids: readonly string[], cause: unknown): Map<string, V> {
  const out = new Map<string, V>();
  for (const id of ids) { const v = cache.get(id); if (v !== undefined) out.set(id, v); }
  if (out.size === 0 && ids.length > 0) throw new DependencyUnavailableError(["store"], { cause });
  return out;
}
