import { afterEach, beforeEach, describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { hnswIndexFactory as inThread } from "../../src/adapters/hnsw-index.js";
import { createThreadedHnswIndexFactory } from "../../src/adapters/hnsw-thread.js";
import { openSqliteStore, type SqliteDocumentStore } from "../../src/adapters/sqlite-store.js";
import { VectorCache } from "../../src/index/vector-cache.js";
import { storeChunk, storeRecord } from "../support/store-fixtures.js";

let dir = "";
let store: SqliteDocumentStore;
const options = () => ({ dir, embedderId: "test", dimensions: 2 });

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "groundline-vcache-"));
  store = openSqliteStore(path.join(dir, "store.db"));
});
afterEach(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function addDocs(from: number, to: number): Promise<void> {
  for (let i = from; i < to; i++) await store.replaceDocument(storeRecord(`doc-${i}`), [storeChunk(`doc-${i}`, `text number ${i}`)]);
}

function indexFileOfManifest(): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, "vectors.manifest.json"), "utf8")) as { file: string };
  return path.join(dir, manifest.file);
}

// Every case runs with the index on this thread and on a thread of its own (what processes use by default).
describe.each([
  ["on this thread", inThread],
  ["on its own thread", createThreadedHnswIndexFactory()],
])("VectorCache with the index %s", (_where, hnswIndexFactory) => {
  const caches: VectorCache[] = [];
  async function open(): Promise<VectorCache> {
    const cache = await VectorCache.open(store, hnswIndexFactory, options());
    caches.push(cache);
    return cache;
  }
  afterEach(async () => {
    for (const cache of caches.splice(0)) await cache.close();
  });

  describe("VectorCache saves", () => {
    it("concurrent saves in one process and from two caches over one directory never fail and leave a usable pair", async () => {
      await addDocs(0, 20);
      const a = await open();
      const b = await open();
      for (let round = 0; round < 15; round++) {
        await addDocs(20 + round, 21 + round);
        await Promise.all([a.catchUp().then(() => a.save()), b.catchUp().then(() => b.save()), a.save(), b.save()]);
      }
      const leftovers = fs.readdirSync(dir).filter((f) => f.endsWith(".tmp"));
      expect(leftovers).toEqual([]);
      // Superseded index files do not pile up: at most each cache's two latest files remain (a follower may still be
      // loading the one before the latest).
      expect(fs.readdirSync(dir).filter((f) => f.endsWith(".hnsw")).length).toBeLessThanOrEqual(4);
      const reopened = await open();
      expect(reopened.vectors.size).toBe((await store.allChunkIds()).length);
      expect(reopened.position).toBe(await store.lastSeq());
    });

    it("an index file that does not belong to its manifest is never used: the cache rebuilds from the store", async () => {
      await addDocs(0, 3);
      const first = await open();
      await first.save();
      const stale = fs.readFileSync(indexFileOfManifest());
      await addDocs(3, 8);
      await first.catchUp();
      await first.save();
      // What an interleaved save of another process leaves: this manifest, someone else's (older) index file.
      fs.writeFileSync(indexFileOfManifest(), stale);
      const reopened = await open();
      expect(reopened.vectors.size).toBe(8);
      for (const id of await store.allChunkIds()) expect(reopened.vectors.has(id)).toBe(true);
    });
  });

  describe("VectorCache follows the change log by chunk key", () => {
    it("applies adds, deletes and re-embedded vectors written through another connection, with their filter fields", async () => {
      await addDocs(0, 4);
      const cache = await open();
      const other = openSqliteStore(store.path);
      try {
        await other.replaceDocument(storeRecord("t-1", "tickets"), [{ ...storeChunk("t-1", "ticket text", "tickets"), chunk: { ...storeChunk("t-1", "ticket text", "tickets").chunk, sourceType: "ticket" } }]);
        await other.deleteDocument("one", "doc-0");
        const [doc1] = await other.getDocumentChunks("one", "doc-1");
        await other.updateVectors([{ chunkId: doc1!.id, vector: new Float32Array([0, 1]) }]);
      } finally {
        await other.close();
      }
      expect(await cache.catchUp()).toBeGreaterThan(0);
      expect(cache.position).toBe(await store.lastSeq());
      const ids = await store.allChunkIds();
      expect(cache.vectors.size).toBe(ids.length);
      for (const id of ids) expect(cache.vectors.has(id)).toBe(true);
      expect(cache.vectors.has(storeChunk("doc-0", "text number 0").chunk.id)).toBe(false);
      expect((await cache.vectors.search(new Float32Array([0, 1]), 1))[0]?.chunkId).toBe(storeChunk("doc-1", "text number 1").chunk.id);
      expect((await cache.vectors.search(new Float32Array([1, 0]), 10, { sourceTypes: ["ticket"] })).map((h) => h.chunkId)).toEqual([storeChunk("t-1", "ticket text", "tickets").chunk.id]);
      expect(await cache.vectors.search(new Float32Array([1, 0]), 10, { ticketCollections: [], collections: ["tickets"] })).toEqual([]);
    });
  });
});
