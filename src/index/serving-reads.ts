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
  /**
   * The store's read version (`DocumentRepository.readVersion`): when given, a remembered chunk read at the current
   * version is answered from memory and only the others are read, so popular candidates cost no store read. Without
   * it every read goes to the store (remembered reads serve outages only).
   */
  version?: () => Promise<string>;
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

/** A remembered read and the store version it was read at (undefined: the store gives no version). */
interface Entry<V> {
  value: V;
  version: string | undefined;
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
  const read = <V>(cache: Lru<Entry<V>>, fetch: (ids: readonly string[]) => Promise<Map<string, V>>) => async (ids: readonly string[]): Promise<Map<string, V>> => {
    if (ids.length === 0 || now() >= downUntil) {
      try {
        // Read before the data: a write committed in between makes the data newer than its tag, never older.
        const version = ids.length > 0 && options.version ? await options.version() : undefined;
        const { found, missing } = version === undefined ? { found: new Map<string, V>(), missing: ids } : current(cache, ids, version);
        if (missing.length === 0) return found;
        const fetched = await fetch(missing);
        for (const [id, value] of fetched) cache.set(id, { value, version });
        if (found.size === 0) return fetched;
        return inOrder(ids, found, fetched);
      } catch (err) {
        if (!isConnectionError(err)) throw err;
        downUntil = now() + retryAfterMs;
        return fromCache(cache, ids, err);
      }
    }
    return fromCache(cache, ids, undefined);
  };
  const chunks = read(new Lru<Entry<Chunk>>(max), async (ids) => new Map((await store.getChunks(ids)).map((c) => [c.id, c])));
  const terms = read(new Lru<Entry<ChunkTerms>>(max), (ids) => store.getChunkTerms(ids));
  const vectors = read(new Lru<Entry<Float32Array>>(max), (ids) => store.getVectors(ids));
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

/** The remembered reads of `ids` taken at `version`, and the ids to read from the store. */
function current<V>(cache: Lru<Entry<V>>, ids: readonly string[], version: string): { found: Map<string, V>; missing: string[] } {
  const found = new Map<string, V>();
  const missing: string[] = [];
  for (const id of ids) {
    const e = cache.get(id);
    if (e !== undefined && e.version === version) found.set(id, e.value);
    else missing.push(id);
  }
  return { found, missing };
}

/** Remembered and fetched reads merged in the order of `ids` (missing keys skipped). */
function inOrder<V>(ids: readonly string[], found: ReadonlyMap<string, V>, fetched: ReadonlyMap<string, V>): Map<string, V> {
  const out = new Map<string, V>();
  for (const id of ids) {
    const v = found.get(id) ?? fetched.get(id);
    if (v !== undefined) out.set(id, v);
  }
  return out;
}

/** During an outage: whatever was remembered, at any version. */
function fromCache<V>(cache: Lru<Entry<V>>, ids: readonly string[], cause: unknown): Map<string, V> {
  const out = new Map<string, V>();
  for (const id of ids) { const e = cache.get(id); if (e !== undefined) out.set(id, e.value); }
  if (out.size === 0 && ids.length > 0) throw new DependencyUnavailableError(["store"], { cause });
  return out;
}

/** Where a serving process finds candidates' terms without a store read (the in-memory keyword index). */
export interface TermsInMemory {
  chunkTerms(chunkIds: readonly string[]): ReadonlyMap<string, ChunkTerms>;
}

/**
 * `reads` with candidates' terms taken from memory where it holds them, the rest from `reads` (one batched read): the
 * in-memory keyword index keeps every chunk's term sequence as ids, so re-ranking ~80 candidates no longer reads and
 * splits ~300 stored strings for each one it has not seen recently. The index follows the change log, so it holds
 * the terms it ranked the candidates with; a chunk key names one chunk text, and its terms change only with its
 * title or section path.
 */
export function withTermsInMemory<R extends ServingReads>(reads: R, memory: () => TermsInMemory): R {
  return {
    ...reads,
    getChunkTerms: async (ids: readonly string[]) => {
      const found = memory().chunkTerms(ids);
      if (found.size === ids.length) return found as Map<string, ChunkTerms>;
      const fetched = await reads.getChunkTerms(ids.filter((id) => !found.has(id)));
      return found.size === 0 ? fetched : inOrder(ids, found, fetched);
    },
  };
}
