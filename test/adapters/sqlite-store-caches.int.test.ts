import { describe, expect, it } from "vitest";
import { openSqliteStore } from "../../src/adapters/sqlite-store.js";
import { outageTolerantReads } from "../../src/index/serving-reads.js";
import { storeChunk as chunk, storeRecord as record, useTempStore } from "../support/store-fixtures.js";

const temp = useTempStore("store-caches-", async (s) => {
  await s.replaceDocument(record("a", "one"), [chunk("a", "router reset", "one")]);
  await s.replaceDocument(record("b", "two"), [chunk("b", "router power", "two")]);
});

describe("store caches follow every write", () => {
  it("chunk counts and term frequencies are exact after deletes, here and from another connection", async () => {
    const keywords = temp.store.keywordIndex;
    expect(await keywords.stats(["router"])).toEqual({ chunks: 2, df: new Map([["router", 2]]) });
    expect(await keywords.stats(["router"], ["one"])).toEqual({ chunks: 1, df: new Map([["router", 1]]) });
    await temp.store.deleteDocument("one", "a");
    expect(await keywords.stats(["router"])).toEqual({ chunks: 1, df: new Map([["router", 1]]) });
    expect(await keywords.stats(["router"], ["one"])).toEqual({ chunks: 0, df: new Map([["router", 0]]) });
    const other = openSqliteStore(temp.store.path);
    try {
      await other.replaceDocument(record("c", "one"), [chunk("c", "router cable", "one")]);
      expect(await keywords.stats(["router"], ["one"])).toEqual({ chunks: 1, df: new Map([["router", 1]]) });
      await other.deleteDocument("two", "b");
    } finally {
      await other.close();
    }
    expect(await keywords.stats(["router"], ["two"])).toEqual({ chunks: 0, df: new Map([["router", 0]]) });
    expect((await keywords.search(["router"], 5, { collections: ["one", "three"] })).map((h) => h.chunkId)).toEqual([chunk("c", "router cable", "one").chunk.id]);
  });

  it("serving reads remembered at the store's read version are read again after a write here or from another connection", async () => {
    const store = temp.store;
    const reads = outageTolerantReads(store, { version: () => store.readVersion() });
    const input = chunk("a", "router reset", "one");
    const id = input.chunk.id;
    const sectionOf = async () => (await reads.getChunkTerms([id])).get(id)?.sectionPath;
    expect(await sectionOf()).toEqual([]);
    // Same text, so the same chunk key: only its metadata changes (no change-log entry for a kept chunk).
    await store.replaceDocument(record("a", "one"), [{ ...input, chunk: { ...input.chunk, sectionPath: ["Reset"] } }]);
    expect(await sectionOf()).toEqual(["Reset"]);
    expect((await reads.getChunks([id]))[0]?.sectionPath).toEqual(["Reset"]);
    const other = openSqliteStore(store.path);
    try {
      await other.replaceDocument(record("a", "one"), [{ ...input, chunk: { ...input.chunk, sectionPath: ["Power"] } }]);
    } finally {
      await other.close();
    }
    expect(await sectionOf()).toEqual(["Power"]);
    expect((await reads.getChunks([id]))[0]?.sectionPath).toEqual(["Power"]);
    const v = await store.readVersion();
    expect(await store.readVersion()).toBe(v);
  });
});
