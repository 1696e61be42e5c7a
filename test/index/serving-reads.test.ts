import { describe, expect, it } from "vitest";
import type { Chunk, ChunkTerms } from "../../src/domain/chunk.js";
import { DependencyUnavailableError } from "../../src/errors.js";
import { outageTolerantReads, withTermsInMemory, type ServingReads } from "../../src/index/serving-reads.js";

const chunk = (id: string): Chunk => ({ id, documentId: "d", collection: "c", text: `text ${id}` } as unknown as Chunk);

function fakeStore(): ServingReads & { down: boolean; bug: boolean; calls: number } {
  const s = {
    down: false, bug: false, calls: 0,
    async getChunks(ids: readonly string[]) {
      s.calls++;
      if (s.bug) throw new Error("syntax error at or near SELECT");
      if (s.down) throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
      return ids.map(chunk);
    },
    async getChunkTerms() { return new Map<string, ChunkTerms>(); },
    async getVectors() { return new Map<string, Float32Array>(); },
  };
  return s;
}

describe("outage-tolerant serving reads", () => {
  it("answers remembered chunks while the store is unreachable, leaves out the others, and reports an outage for none", async () => {
    const store = fakeStore();
    let t = 0;
    const reads = outageTolerantReads(store, { maxEntries: 2, retryAfterMs: 1000, now: () => t });
    await reads.getChunks(["a", "b", "c"]);
    store.down = true;
    // "a" fell out of the two-entry LRU; "b" and "c" are served.
    expect((await reads.getChunks(["a", "b", "c"])).map((c) => c.id)).toEqual(["b", "c"]);
    const calls = store.calls;
    await expect(reads.getChunks(["x"])).rejects.toBeInstanceOf(DependencyUnavailableError);
    expect(store.calls).toBe(calls); // within retryAfterMs of the failure the store is not tried again
    t = 1500;
    store.down = false;
    expect((await reads.getChunks(["x"])).map((c) => c.id)).toEqual(["x"]);
  });

  it("does not hide errors that are not outages", async () => {
    const store = fakeStore();
    const reads = outageTolerantReads(store);
    await reads.getChunks(["a"]);
    store.bug = true;
    await expect(reads.getChunks(["a"])).rejects.toThrow(/syntax error/);
  });

  it("answers chunks read at the store's current version from memory and reads only the others", async () => {
    const store = fakeStore();
    const asked: string[][] = [];
    const getChunks = store.getChunks;
    store.getChunks = async (ids) => (asked.push([...ids]), getChunks(ids));
    let version = "1";
    const reads = outageTolerantReads(store, { version: async () => version });
    await reads.getChunks(["a", "b"]);
    expect((await reads.getChunks(["c", "a", "b"])).map((c) => c.id)).toEqual(["c", "a", "b"]);
    expect(asked).toEqual([["a", "b"], ["c"]]);
    expect((await reads.getChunks(["b", "a"])).map((c) => c.id)).toEqual(["b", "a"]);
    expect(asked).toHaveLength(2);
    // A write anywhere changes the version: everything remembered before it is read again.
    version = "2";
    await reads.getChunks(["a", "c"]);
    expect(asked.at(-1)).toEqual(["a", "c"]);
  });

  it("without a version reads every chunk from the store, and still serves remembered ones of any version during an outage", async () => {
    const store = fakeStore();
    const plain = outageTolerantReads(store);
    await plain.getChunks(["a"]);
    await plain.getChunks(["a"]);
    expect(store.calls).toBe(2);
    let version = "1";
    const versioned = outageTolerantReads(store, { version: async () => version });
    await versioned.getChunks(["a"]);
    version = "2";
    store.down = true;
    expect((await versioned.getChunks(["a"])).map((c) => c.id)).toEqual(["a"]);
  });
});

describe("serving reads with terms in memory", () => {
  const terms = (id: string, from: string): ChunkTerms => ({ chunkId: id, documentId: from, sectionPath: [], position: 0, titleTokens: [], bodyTokens: [] });

  it("takes the terms memory holds, reads only the others from the store, and keeps the asked order", async () => {
    const asked: string[][] = [];
    const store: ServingReads = {
      getChunks: async () => [],
      getChunkTerms: async (ids) => { asked.push([...ids]); return new Map(ids.filter((id) => id !== "gone").map((id) => [id, terms(id, "store")])); },
      getVectors: async () => new Map(),
    };
    const memory = { chunkTerms: (ids: readonly string[]) => new Map(ids.filter((id) => id.startsWith("m")).map((id) => [id, terms(id, "memory")])) };
    const reads = withTermsInMemory(store, () => memory);
    const got = await reads.getChunkTerms(["s1", "m1", "gone", "m2", "s2"]);
    expect([...got.entries()].map(([id, t]) => `${id}:${t.documentId}`)).toEqual(["s1:store", "m1:memory", "m2:memory", "s2:store"]);
    expect(asked).toEqual([["s1", "gone", "s2"]]);
    expect([...(await reads.getChunkTerms(["m3", "m1"])).keys()]).toEqual(["m3", "m1"]);
    expect(asked).toHaveLength(1);
  });
});
