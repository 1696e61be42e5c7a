import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EXACT_SEARCH_LIMIT, HnswIndex, VectorIndexLoadError, hnswIndexFactory, keyTableFile } from "../../src/adapters/hnsw-index.js";
import { decodeKeyTable } from "../../src/adapters/hnsw-keys-file.js";
import { entry, unitVectors } from "../ports/vector-index.conformance.js";

// Port behaviour (search, filters, replace, remove) is in test/ports/vector-index.conformance.ts; these are the
// adapter's own concerns: slots, capacity, files.

const items = (vectors: Float32Array[], first = 0) => vectors.map((v, i) => entry(first + i, v));
const key = (i: number): string => entry(i, new Float32Array()).chunkId;

let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "hnsw-")); });
afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

describe("HnswIndex", () => {
  it("grows past its initial capacity", async () => {
    const data = unitVectors(100, 16, 3);
    const index = HnswIndex.create(16, { initialCapacity: 8 });
    index.add(items(data.slice(0, 5)));
    index.add(items(data.slice(5), 5));
    expect(index.size).toBe(100);
    expect(index.capacity).toBe(128);
    for (const i of [0, 7, 8, 99]) expect((await index.search(data[i]!, 1))[0]?.chunkId).toBe(key(i));
  });

  it("reuses the slots of removed chunks, and a re-added chunk never leaves two nodes", async () => {
    const data = unitVectors(30, 16, 4);
    const index = HnswIndex.create(16, { initialCapacity: 20 });
    index.add(items(data.slice(0, 20)));
    index.remove([0, 1, 2, 3, 4].map(key));
    index.add(items(data.slice(20, 25), 20));
    expect(index.capacity).toBe(20);
    expect(index.size).toBe(20);
    index.add([{ ...entry(3, data[26]!) }]);
    index.add([{ ...entry(6, data[27]!) }]);
    expect(index.size).toBe(21);
    const ids = (await index.search(data[26]!, 30)).map((h) => h.chunkId);
    expect(ids[0]).toBe(key(3));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => [0, 1, 2, 4].map(key).includes(id))).toEqual([]);
    expect((await index.search(data[27]!, 1))[0]?.chunkId).toBe(key(6));
  });

  it("searches a filter that keeps few vectors exactly, and a broad one through the graph", async () => {
    const data = unitVectors(EXACT_SEARCH_LIMIT, 8, 9);
    const index = HnswIndex.create(8, { efSearch: 4, m: 4, efConstruction: 8 });
    index.add(items(data));
    const q = unitVectors(1, 8, 10)[0]!;
    const allowed = items(data).filter((e) => e.documentId === "d3");
    const exact = allowed.map((e) => ({ id: e.chunkId, s: e.vector.reduce((s, x, i) => s + x * q[i]!, 0) })).sort((a, b) => b.s - a.s).slice(0, 20);
    expect((await index.search(q, 20, { documentIds: ["d3"] })).map((h) => h.chunkId)).toEqual(exact.map((e) => e.id));
    expect(await index.search(q, 20, { collections: ["c0", "c1", "c2"] })).toHaveLength(20);
  });

  it("saves and loads atomically with its chunk keys and filter fields, preserving deletes", async () => {
    const data = unitVectors(300, 32, 7);
    const index = HnswIndex.create(32, { initialCapacity: 64 });
    index.add(items(data));
    index.remove([0, 10, 20].map(key));
    const file = path.join(dir, "sub", "index.hnsw");
    await index.save(file);
    expect(fs.readdirSync(path.dirname(file)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    expect(fs.existsSync(keyTableFile(file))).toBe(true);
    const loaded = await hnswIndexFactory.load(file, 32);
    expect(loaded.size).toBe(297);
    expect(loaded.has(key(0))).toBe(false);
    expect(loaded.has(key(1))).toBe(true);
    expect((await loaded.search(data[10]!, 300)).map((h) => h.chunkId)).not.toContain(key(10));
    expect((await loaded.search(data[42]!, 1))[0]?.chunkId).toBe(key(42));
    const tickets = await loaded.search(data[42]!, 300, { sourceTypes: ["ticket"], languages: ["de"] });
    expect(tickets.map((h) => h.chunkId).sort()).toEqual(items(data).filter((e, i) => ![0, 10, 20].includes(i) && e.sourceType === "ticket" && e.language === "de").map((e) => e.chunkId).sort());
    loaded.add([entry(1000, data[10]!)]);
    expect(loaded.size).toBe(298);
    expect((await loaded.search(data[10]!, 1))[0]?.chunkId).toBe(key(1000));
    loaded.add([entry(0, data[0]!)]);
    expect((await loaded.search(data[0]!, 1))[0]?.chunkId).toBe(key(0));
  });

  it("refuses missing files, files of other dimensions and files without their key table", async () => {
    await expect(hnswIndexFactory.load(path.join(dir, "missing.hnsw"), 8)).rejects.toBeInstanceOf(VectorIndexLoadError);
    const index = HnswIndex.create(8);
    index.add(items(unitVectors(10, 8, 8)));
    const file = path.join(dir, "i.hnsw");
    await index.save(file);
    await expect(hnswIndexFactory.load(file, 16)).rejects.toBeInstanceOf(VectorIndexLoadError);
    // As a version 1 table (JSON arrays), which can hold what a corrupt file holds.
    const stored = decodeKeyTable(fs.readFileSync(keyTableFile(file), "utf8"));
    const table = { version: 1, nextLabel: stored.nextLabel, strings: stored.strings, chunkIds: stored.chunkIds, rows: Array.from(stored.rows) };
    fs.writeFileSync(keyTableFile(file), JSON.stringify({ ...table, rows: table.rows.map((v, i) => (i === 7 ? 1.5 : v)) }));
    await expect(hnswIndexFactory.load(file, 8)).rejects.toThrow(/rows must be integers/);
    fs.writeFileSync(keyTableFile(file), JSON.stringify({ ...table, rows: table.rows.slice(1) }));
    await expect(hnswIndexFactory.load(file, 8)).rejects.toThrow(/rows do not match/);
    fs.rmSync(keyTableFile(file));
    await expect(hnswIndexFactory.load(file, 8)).rejects.toBeInstanceOf(VectorIndexLoadError);
    // A key table of another save (more labels than this graph holds).
    const bigger = HnswIndex.create(8);
    bigger.add(items(unitVectors(20, 8, 9)));
    await bigger.save(path.join(dir, "j.hnsw"));
    fs.copyFileSync(keyTableFile(path.join(dir, "j.hnsw")), keyTableFile(file));
    await expect(hnswIndexFactory.load(file, 8)).rejects.toThrow(/which the graph lacks/);
  });
});
