import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HnswIndex, VectorIndexLoadError } from "../../src/adapters/hnsw-index.js";
import { ThreadedHnswIndex } from "../../src/adapters/hnsw-thread.js";
import { entry, unitVectors } from "../ports/vector-index.conformance.js";

// Port behaviour is in the conformance suite (test/ports/hnsw-thread-vector-index.int.test.ts); these are the
// threaded adapter's own concerns: files shared with the in-thread adapter, load failures, the insert backlog.

const items = (vectors: Float32Array[], first = 0) => vectors.map((v, i) => entry(first + i, v));
const key = (i: number): string => entry(i, new Float32Array()).chunkId;

let dir: string;
const open: ThreadedHnswIndex[] = [];
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "hnsw-thread-")); });
afterEach(async () => {
  for (const index of open.splice(0)) await index.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
const track = (index: ThreadedHnswIndex): ThreadedHnswIndex => (open.push(index), index);

describe("ThreadedHnswIndex", () => {
  it("writes the files the in-thread index reads, and loads theirs with every key", async () => {
    const data = unitVectors(300, 16, 5);
    const threaded = track(ThreadedHnswIndex.create(16));
    threaded.add(items(data));
    threaded.remove([key(0)]);
    await threaded.save(path.join(dir, "a.hnsw"));
    const inThread = await HnswIndex.load(path.join(dir, "a.hnsw"), 16);
    expect(inThread.size).toBe(299);
    inThread.add(items([data[0]!], 300));
    await inThread.save(path.join(dir, "b.hnsw"));
    const loaded = track(await ThreadedHnswIndex.load(path.join(dir, "b.hnsw"), 16));
    expect(loaded.size).toBe(300);
    expect(loaded.has(key(0))).toBe(false);
    expect(loaded.has(key(300))).toBe(true);
    for (const i of [1, 150, 299]) expect((await loaded.search(data[i]!, 1))[0]?.chunkId).toBe(key(i));
  });

  it("knows a loaded index's keys exactly, non-ASCII and of any length, before and after changes", async () => {
    const data = unitVectors(6, 16, 6);
    const ids = ["a", "ü/Handbuch – Seite#1", "c/d#2", "x".repeat(300), "日本語/文書#4", "e"];
    const index = HnswIndex.create(16);
    index.add(data.map((vector, i) => ({ ...entry(i, vector), chunkId: ids[i]! })));
    await index.save(path.join(dir, "k.hnsw"));
    const loaded = track(await ThreadedHnswIndex.load(path.join(dir, "k.hnsw"), 16));
    expect(loaded.size).toBe(6);
    for (const id of ids) expect(loaded.has(id)).toBe(true);
    expect(loaded.has("a".concat("ü"))).toBe(false);
    loaded.remove([ids[1]!, "not there"]);
    loaded.add([{ ...entry(9, data[0]!), chunkId: "new" }, { ...entry(10, data[2]!), chunkId: ids[2]! }]);
    await loaded.settle();
    expect(loaded.size).toBe(6);
    expect(loaded.has(ids[1]!)).toBe(false);
    expect(loaded.has("new")).toBe(true);
    expect((await loaded.search(data[5]!, 6)).map((h) => h.chunkId).sort()).toEqual([...ids.filter((_, i) => i !== 1), "new"].sort());
  });

  it("fails to load a file that is not an index with the load error the cache rebuilds on, and stops its thread", async () => {
    fs.writeFileSync(path.join(dir, "bad.hnsw"), Buffer.alloc(100, 7));
    await expect(ThreadedHnswIndex.load(path.join(dir, "bad.hnsw"), 16)).rejects.toBeInstanceOf(VectorIndexLoadError);
  });

  it("keeps a bounded backlog: settle(n) waits until at most n vectors are queued, settle() until all are searchable", async () => {
    const data = unitVectors(3000, 16, 6);
    const index = track(ThreadedHnswIndex.create(16));
    index.add(items(data));
    expect(index.queued).toBe(3000);
    await index.settle(2000);
    expect(index.queued).toBeLessThanOrEqual(2000);
    // A search sent now is answered (possibly before the rest is inserted) and never fails.
    expect((await index.search(data[0]!, 1)).length).toBe(1);
    await index.settle();
    expect(index.queued).toBe(0);
    expect((await index.search(data[2999]!, 1))[0]?.chunkId).toBe(key(2999));
  });

  it("rejects requests after close instead of hanging", async () => {
    const index = ThreadedHnswIndex.create(16);
    await index.close();
    await expect(index.search(unitVectors(1, 16, 1)[0]!, 1)).rejects.toThrow(/closed/);
  });
});
