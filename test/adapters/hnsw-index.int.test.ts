import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HnswIndex, VectorIndexLoadError, hnswIndexFactory } from "../../src/adapters/hnsw-index.js";

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomUnitVectors(n: number, dims: number, seed: number): Float32Array[] {
  const next = rng(seed);
  return Array.from({ length: n }, () => {
    const v = new Float32Array(dims);
    let norm = 0;
    for (let i = 0; i < dims; i++) { v[i] = next() * 2 - 1; norm += v[i]! * v[i]!; }
    norm = Math.sqrt(norm);
    for (let i = 0; i < dims; i++) v[i] = v[i]! / norm;
    return v;
  });
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

const items = (vectors: Float32Array[], firstLabel = 0) => vectors.map((vector, i) => ({ label: firstLabel + i, vector }));

let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "hnsw-")); });
afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

describe("HnswIndex", () => {
  it("reaches recall@10 >= 0.95 against brute force on 2,000 random 64-d vectors", () => {
    const data = randomUnitVectors(2000, 64, 1);
    const queries = randomUnitVectors(50, 64, 2);
    const index = hnswIndexFactory.create(64);
    index.add(items(data));
    expect(index.size).toBe(2000);
    let found = 0;
    for (const q of queries) {
      const exact = data.map((v, label) => ({ label, sim: dot(q, v) })).sort((a, b) => b.sim - a.sim).slice(0, 10);
      const hits = index.search(q, 10);
      expect(hits).toHaveLength(10);
      for (let i = 1; i < hits.length; i++) expect(hits[i - 1]!.similarity).toBeGreaterThanOrEqual(hits[i]!.similarity);
      const truth = new Set(exact.map((e) => e.label));
      found += hits.filter((h) => truth.has(h.label)).length;
      expect(hits[0]!.similarity).toBeCloseTo(dot(q, data[hits[0]!.label]!), 4);
    }
    expect(found / (queries.length * 10)).toBeGreaterThanOrEqual(0.95);
  });

  it("grows past its initial capacity", () => {
    const data = randomUnitVectors(100, 16, 3);
    const index = HnswIndex.create(16, { initialCapacity: 8 });
    index.add(items(data.slice(0, 5)));
    index.add(items(data.slice(5), 5));
    expect(index.size).toBe(100);
    expect(index.capacity).toBeGreaterThanOrEqual(100);
    expect(index.capacity).toBe(128);
    for (const label of [0, 7, 8, 99]) expect(index.search(data[label]!, 1)[0]?.label).toBe(label);
  });

  it("removes labels, reuses their slots and ignores unknown labels", () => {
    const data = randomUnitVectors(30, 16, 4);
    const index = HnswIndex.create(16, { initialCapacity: 20 });
    index.add(items(data.slice(0, 20)));
    index.remove([0, 1, 2, 3, 4, 12345]);
    expect(index.size).toBe(15);
    expect(index.has(0)).toBe(false);
    expect(index.has(5)).toBe(true);
    expect(index.search(data[0]!, 20).map((h) => h.label)).not.toContain(0);
    index.add(items(data.slice(20, 25), 20));
    expect(index.capacity).toBe(20);
    expect(index.size).toBe(20);
    const labels = index.search(data[22]!, 20).map((h) => h.label);
    expect(labels[0]).toBe(22);
    expect(new Set(labels).size).toBe(labels.length);
    expect(labels.filter((l) => l < 5)).toEqual([]);
  });

  it("re-adding a removed or live label never duplicates it", () => {
    const data = randomUnitVectors(6, 8, 5);
    const index = HnswIndex.create(8, { initialCapacity: 2 });
    index.add(items(data.slice(0, 2), 1)); // labels 1, 2
    index.remove([1]);
    index.add([{ label: 1, vector: data[2]! }]); // revives its own slot with a new vector
    expect(index.capacity).toBe(2);
    expect(index.search(data[2]!, 1)[0]).toMatchObject({ label: 1 });
    index.remove([1]);
    index.add([{ label: 3, vector: data[3]! }]); // takes label 1's slot: hnswlib forgets label 1
    index.add([{ label: 1, vector: data[4]! }]);
    index.add([{ label: 2, vector: data[5]! }]); // in-place update of a live label
    expect(index.size).toBe(3);
    const labels = index.search(data[5]!, 10).map((h) => h.label);
    expect([...labels].sort()).toEqual([1, 2, 3]);
    expect(labels[0]).toBe(2);
    expect(index.search(data[4]!, 1)[0]?.label).toBe(1);
  });

  it("filters hits and handles empty indexes and oversize k", () => {
    const data = randomUnitVectors(200, 16, 6);
    const index = HnswIndex.create(16);
    expect(index.search(data[0]!, 5)).toEqual([]);
    index.add(items(data));
    const hits = index.search(data[1]!, 10, (label) => label % 2 === 0);
    expect(hits).toHaveLength(10);
    expect(hits.every((h) => h.label % 2 === 0)).toBe(true);
    expect(index.search(data[1]!, 10_000)).toHaveLength(200);
    expect(() => index.search(new Float32Array(3), 1)).toThrow(/dimensions/);
  });

  it("saves and loads atomically, preserving deletes", async () => {
    const data = randomUnitVectors(300, 32, 7);
    const index = HnswIndex.create(32, { initialCapacity: 64 });
    index.add(items(data));
    index.remove([0, 10, 20]);
    const file = path.join(dir, "sub", "index.hnsw");
    await index.save(file);
    expect(fs.readdirSync(path.dirname(file)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    const loaded = await hnswIndexFactory.load(file, 32);
    expect(loaded.size).toBe(297);
    expect(loaded.has(0)).toBe(false);
    expect(loaded.has(1)).toBe(true);
    expect(loaded.search(data[10]!, 300).map((h) => h.label)).not.toContain(10);
    expect(loaded.search(data[42]!, 1)[0]?.label).toBe(42);
    loaded.add([{ label: 1000, vector: data[10]! }]);
    expect(loaded.size).toBe(298);
    expect(loaded.search(data[10]!, 1)[0]?.label).toBe(1000);
    loaded.add([{ label: 0, vector: data[0]! }]);
    expect(loaded.search(data[0]!, 1)[0]?.label).toBe(0);
  });

  it("refuses missing files and files of other dimensions", async () => {
    await expect(hnswIndexFactory.load(path.join(dir, "missing.hnsw"), 8)).rejects.toBeInstanceOf(VectorIndexLoadError);
    const index = HnswIndex.create(8);
    index.add(items(randomUnitVectors(10, 8, 8)));
    const file = path.join(dir, "i.hnsw");
    await index.save(file);
    await expect(hnswIndexFactory.load(file, 16)).rejects.toBeInstanceOf(VectorIndexLoadError);
  });
});
