import { describe, expect, it } from "vitest";
import { matchesChunkFilter, type ChunkFilter } from "../../src/domain/chunk.js";
import { seededRandom } from "../../src/eval/metrics.js";
import { FlatVectorBuffer } from "../../src/index/flat-vectors.js";
import type { VectorEntry, VectorHit } from "../../src/ports/vector-index.js";

/** Deterministic pseudo-random numbers, so a failure reproduces. */
const random = seededRandom;

const D = 16;
function entries(n: number, rnd: () => number, prefix = "c"): VectorEntry[] {
  return Array.from({ length: n }, (_, i) => ({
    chunkId: `${prefix}${i}`,
    vector: Float32Array.from({ length: D }, () => rnd() * 2 - 1),
    collection: i % 3 === 0 ? "tickets" : "manuals",
    documentId: `doc-${i % 17}`,
    sourceType: i % 3 === 0 ? "ticket" : "manual",
    ...(i % 2 ? { language: "en" } : {}),
  }));
}

/** The reference: cosine against every kept entry in float64, sorted. */
function bruteForce(items: readonly VectorEntry[], query: Float32Array, k: number, filter?: ChunkFilter): VectorHit[] {
  const norm = (v: Float32Array): number => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  return items
    .filter((e) => !filter || matchesChunkFilter(e, filter))
    .map((e) => ({ chunkId: e.chunkId, similarity: e.vector.reduce((s, x, i) => s + x * query[i]!, 0) / (norm(e.vector) * norm(query)) }))
    .sort((a, b) => b.similarity - a.similarity)
    .slice(0, k);
}

function expectSameHits(actual: VectorHit[], expected: VectorHit[]): void {
  expect(actual.map((h) => h.chunkId)).toEqual(expected.map((h) => h.chunkId));
  actual.forEach((h, i) => expect(h.similarity).toBeCloseTo(expected[i]!.similarity, 5));
}

describe("FlatVectorBuffer", () => {
  it("finds exactly the brute-force top k, with and without filters, after deletes and replacements", () => {
    const rnd = random(7);
    let items = entries(600, rnd);
    const buffer = new FlatVectorBuffer(D, 4);
    buffer.add(items.slice(0, 300), 1);
    buffer.add(items.slice(300), 2);
    const deleted = new Set(items.filter((_, i) => i % 7 === 0).map((e) => e.chunkId));
    buffer.delete([...deleted, "not-there"]);
    const replaced = entries(20, rnd).map((e, i) => ({ ...items[i * 11 + 1]!, vector: e.vector })).filter((e) => !deleted.has(e.chunkId));
    buffer.add(replaced, 3);
    items = items.filter((e) => !deleted.has(e.chunkId)).map((e) => replaced.find((r) => r.chunkId === e.chunkId) ?? e);
    expect(buffer.size).toBe(items.length);
    const filters: Array<ChunkFilter | undefined> = [
      undefined, { collections: ["manuals"] }, { ticketCollections: [] }, { languages: ["en"], documentIds: ["doc-3", "doc-5"] }, { products: ["none"] },
    ];
    for (let q = 0; q < 20; q++) {
      const query = Float32Array.from({ length: D }, () => rnd() * 2 - 1);
      for (const filter of filters) expectSameHits(buffer.search(query, 10, filter), bruteForce(items, query, 10, filter));
    }
  });

  it("drops the rows a snapshot covers and names the ones after it", () => {
    const rnd = random(3);
    const buffer = new FlatVectorBuffer(D);
    buffer.add(entries(5, rnd, "a"), 10);
    buffer.add(entries(3, rnd, "b"), 20);
    buffer.add(entries(1, rnd, "a"), 30); // a0 replaced later in the log
    expect(buffer.keysAfter(10).sort()).toEqual(["a0", "b0", "b1", "b2"]);
    buffer.dropThrough(20);
    expect(buffer.keys()).toEqual(["a0"]);
    expect(buffer.has("a1")).toBe(false);
    expect(buffer.entries()[0]!.vector).toHaveLength(D);
    buffer.clear();
    expect([buffer.size, buffer.has("a0"), buffer.search(new Float32Array(D).fill(1), 3)]).toEqual([0, false, []]);
    buffer.add(entries(2, rnd, "c"), 40);
    expect(buffer.keys()).toEqual(["c0", "c1"]);
  });

  it("returns nothing for k 0 and rejects a query of other dimensions", () => {
    const buffer = new FlatVectorBuffer(D);
    buffer.add(entries(3, random(1)), 1);
    expect(buffer.search(new Float32Array(D).fill(1), 0)).toEqual([]);
    expect(() => buffer.search(new Float32Array(D + 1), 3)).toThrow(/dimensions/);
  });
});
