import { afterEach, beforeEach, describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { hnswIndexFactory as inThread } from "../../src/adapters/hnsw-index.js";
import { createThreadedHnswIndexFactory } from "../../src/adapters/hnsw-thread.js";
import { openSqliteStore, type SqliteDocumentStore } from "../../src/adapters/sqlite-store.js";
import { VectorCache, type VectorCacheOptions } from "../../src/index/vector-cache.js";
import type { MutableVectorIndex, VectorIndexFactory } from "../../src/ports/vector-index.js";
import { storeChunk, storeRecord } from "../support/store-fixtures.js";

let dir = "";
let store: SqliteDocumentStore;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "groundline-vfollow-"));
  store = openSqliteStore(path.join(dir, "store.db"));
});
afterEach(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Document i: one chunk whose 2-d vector points at angle i degrees (so every chunk ranks differently). */
async function addDocs(from: number, to: number): Promise<void> {
  for (let i = from; i < to; i++) {
    const chunk = storeChunk(`doc-${i}`, `text number ${i}`);
    const a = (i * Math.PI) / 180;
    await store.replaceDocument(storeRecord(`doc-${i}`), [{ ...chunk, vector: new Float32Array([Math.cos(a), Math.sin(a)]) }]);
  }
}

/** A factory whose indexes count the vectors inserted into them (a follower must insert none). */
function counting(factory: VectorIndexFactory): { factory: VectorIndexFactory; inserted: () => number } {
  let inserted = 0;
  const wrap = (index: MutableVectorIndex): MutableVectorIndex => {
    const add = index.add.bind(index);
    index.add = (items) => { inserted += items.length; add(items); };
    return index;
  };
  return {
    factory: { create: (d) => wrap(factory.create(d)), load: async (f, d) => wrap(await factory.load(f, d)) },
    inserted: () => inserted,
  };
}

/** The document ids of a search for the direction of angle `deg`, top `k`. */
async function nearest(cache: VectorCache, deg: number, k: number): Promise<string[]> {
  const a = (deg * Math.PI) / 180;
  const hits = await cache.vectors.search(new Float32Array([Math.cos(a), Math.sin(a)]), k);
  return hits.map((h) => /doc-\d+/.exec(h.chunkId)![0]);
}

describe.each([
  ["on this thread", inThread],
  ["on its own thread", createThreadedHnswIndexFactory()],
])("one builder, followers that insert nothing (index %s)", (_where, hnsw) => {
  const caches: VectorCache[] = [];
  async function open(options: Partial<VectorCacheOptions>, factory: VectorIndexFactory = hnsw): Promise<VectorCache> {
    const cache = await VectorCache.open(store, factory, { dir, embedderId: "test", dimensions: 2, ...options });
    caches.push(cache);
    return cache;
  }
  afterEach(async () => {
    for (const cache of caches.splice(0)) await cache.close();
  });

  /** Catches the follower up until its buffer is down to `buffered` (it swapped in the builder's snapshot). */
  async function untilSwapped(follower: VectorCache, buffered: number): Promise<void> {
    const end = Date.now() + 10_000;
    while (follower.buffered !== buffered) {
      if (Date.now() > end) throw new Error(`follower still buffers ${follower.buffered} vectors`);
      await new Promise((r) => setTimeout(r, 50));
      await follower.catchUp();
    }
  }

  it("a follower searches new vectors exactly at once, honours deletes, and swaps in the builder's snapshots", async () => {
    const builder = await open({ builds: () => true, snapshotEvery: 5 });
    const counted = counting(hnsw);
    const follower = await open({ builds: () => false }, counted.factory);
    await addDocs(0, 30);
    await follower.catchUp();
    // Searchable at once, from the buffer: exact, so the nearest are the neighbouring angles.
    expect(follower.buffered).toBe(30);
    expect((await nearest(follower, 10, 3)).sort()).toEqual(["doc-10", "doc-11", "doc-9"]);
    await builder.catchUp();
    // The builder wrote a snapshot; the log goes on: a delete of a chunk the snapshot holds, and new chunks.
    expect(fs.existsSync(path.join(dir, "vectors.manifest.json"))).toBe(true);
    await store.deleteDocument("one", "doc-10");
    await addDocs(30, 35);
    await follower.catchUp();
    expect(await nearest(follower, 10, 2)).not.toContain("doc-10");
    await untilSwapped(follower, 5);
    // Swapped in the snapshot at the builder's position 30: the delete and the 5 later chunks are re-applied.
    expect(await nearest(follower, 10, 2)).not.toContain("doc-10");
    expect((await nearest(follower, 33, 1))[0]).toBe("doc-33");
    // (Its own snapshots are paced by how long the last save took: this one is asked for.)
    await builder.catchUp();
    await builder.save();
    await untilSwapped(follower, 0);
    for (const deg of [0.3, 9.4, 10.2, 20.7, 33.6]) expect(await nearest(follower, deg, 4)).toEqual(await nearest(builder, deg, 4));
    expect(follower.vectors.size).toBe(34);
    expect(counted.inserted()).toBe(0);
    expect(follower.dirty).toBe(false);
  });

  it("a follower that becomes the builder inserts its buffer and saves; one whose buffer outgrows the bound inserts it", async () => {
    let leader = false;
    const promoted = await open({ builds: () => leader, snapshotEvery: 1000 });
    const orphan = await open({ builds: () => false, maxBuffered: 8 });
    await addDocs(0, 12);
    await promoted.catchUp();
    await orphan.catchUp();
    expect(promoted.buffered).toBe(12);
    expect(orphan.buffered).toBe(0);
    expect(orphan.vectors.size).toBe(12);
    leader = true;
    await new Promise((r) => setTimeout(r, 300));
    await promoted.catchUp();
    expect(promoted.buffered).toBe(0);
    expect(promoted.dirty).toBe(true);
    await promoted.save();
    expect(await nearest(promoted, 5, 3)).toEqual(await nearest(orphan, 5, 3));
  });
});
