// The behaviour every VectorIndex (src/ports/vector-index.ts) must share, as one suite run against each
// implementation: `describeVectorIndex("name", create)` in a *.test.ts file registers it.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ChunkFilter } from "../../src/domain/chunk.js";
import { seededRandom } from "../../src/eval/metrics.js";
import type { VectorEntry, VectorIndex } from "../../src/ports/vector-index.js";

/** One implementation under test: the index and how vectors get into and out of it. */
export interface VectorIndexUnderTest {
  index: VectorIndex;
  /** Adds entries; an entry whose chunkId is indexed already replaces its vector and filter fields. */
  add(entries: readonly VectorEntry[]): Promise<void>;
  remove(chunkIds: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

/** Seeded unit vectors (mulberry32), so every run sees the same data. */
export function unitVectors(n: number, dims: number, seed: number): Float32Array[] {
  const next = seededRandom(seed);
  return Array.from({ length: n }, () => {
    const v = Float32Array.from({ length: dims }, () => next() * 2 - 1);
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Entry `i`: key `c{i%3}/d{i%10}#{i}`, every 4th a ticket, products and languages on some. */
export function entry(i: number, vector: Float32Array): VectorEntry {
  return {
    chunkId: `c${i % 3}/d${i % 10}#${i}`, vector, collection: `c${i % 3}`, documentId: `d${i % 10}`, sourceType: i % 4 === 0 ? "ticket" : "manual",
    ...(i % 5 === 0 ? { product: `p${i % 2}` } : {}), ...(i % 7 === 0 ? { language: "de" } : {}),
  };
}

/** The exact top-k keys among the entries `keep` allows. */
function bruteForce(entries: readonly VectorEntry[], q: Float32Array, k: number, keep: (e: VectorEntry) => boolean): string[] {
  return entries.filter(keep).map((e) => ({ id: e.chunkId, s: dot(q, e.vector) })).sort((a, b) => b.s - a.s).slice(0, k).map((e) => e.id);
}

/** Registers the shared vector-index cases for one implementation (16-dimensional vectors). */
export function describeVectorIndex(name: string, create: (dimensions: number) => Promise<VectorIndexUnderTest>): void {
  describe(`${name}: vector index conformance`, () => {
    let subject: VectorIndexUnderTest;
    let index: VectorIndex;
    const data = unitVectors(600, 16, 11);
    const entries = data.map((v, i) => entry(i, v));
    beforeEach(async () => {
      subject = await create(16);
      index = subject.index;
    });
    afterEach(async () => {
      await subject.close();
    });

    it("finds nearest neighbours by cosine, best first, keyed by chunk", async () => {
      expect(await index.search(data[0]!, 5)).toEqual([]);
      await subject.add(entries);
      expect(index.size).toBe(600);
      expect(index.dimensions).toBe(16);
      expect(index.has("c1/d1#1")).toBe(true);
      expect(index.has("c1/d1#9999")).toBe(false);
      let found = 0;
      for (const q of unitVectors(20, 16, 12)) {
        const hits = await index.search(q, 10);
        expect(hits).toHaveLength(10);
        for (let i = 1; i < hits.length; i++) expect(hits[i - 1]!.similarity).toBeGreaterThanOrEqual(hits[i]!.similarity);
        for (const h of hits) expect(h.similarity).toBeCloseTo(dot(q, entries.find((e) => e.chunkId === h.chunkId)!.vector), 4);
        const truth = new Set(bruteForce(entries, q, 10, () => true));
        found += hits.filter((h) => truth.has(h.chunkId)).length;
      }
      expect(found / 200).toBeGreaterThanOrEqual(0.95);
      expect((await index.search(data[3]!, 1))[0]?.chunkId).toBe(entries[3]!.chunkId);
      expect(await index.search(data[1]!, 10_000)).toHaveLength(600);
      await expect(index.search(new Float32Array(3), 1)).rejects.toThrow(/dimensions/);
    });

    it("evaluates every filter field as data: exactly the allowed chunks, the best of them first", async () => {
      await subject.add(entries);
      const q = unitVectors(1, 16, 13)[0]!;
      const cases: Array<[ChunkFilter, (e: VectorEntry) => boolean]> = [
        [{ collections: ["c1"] }, (e) => e.collection === "c1"],
        [{ collections: ["c1", "c2"], sourceTypes: ["ticket"] }, (e) => e.collection !== "c0" && e.sourceType === "ticket"],
        [{ products: ["p1"] }, (e) => e.product === "p1"],
        [{ languages: ["de"] }, (e) => e.language === "de"],
        [{ documentIds: ["d3", "d4"] }, (e) => e.documentId === "d3" || e.documentId === "d4"],
        [{ documentIds: ["d3"], languages: ["fr"] }, () => false],
        [{ ticketCollections: [] }, (e) => e.sourceType !== "ticket"],
        [{ ticketCollections: ["c2"] }, (e) => e.sourceType !== "ticket" || e.collection === "c2"],
        [{ collections: [], products: [] }, () => true],
      ];
      for (const [filter, keep] of cases) {
        const hits = (await index.search(q, 8, filter)).map((h) => h.chunkId);
        const allowed = new Set(entries.filter(keep).map((e) => e.chunkId));
        expect(hits.every((id) => allowed.has(id)), JSON.stringify(filter)).toBe(true);
        expect(hits.length, JSON.stringify(filter)).toBe(Math.min(8, allowed.size));
        // Small allowed sets are searched exactly; larger ones through the index find most of the true top-8.
        const truth = bruteForce(entries, q, 8, keep);
        const overlap = hits.filter((id) => truth.includes(id)).length;
        if (allowed.size <= 100) expect(hits, JSON.stringify(filter)).toEqual(truth);
        else expect(overlap, JSON.stringify(filter)).toBeGreaterThanOrEqual(6);
      }
    });

    it("replaces a re-added chunk's vector and filter fields, and forgets removed chunks", async () => {
      await subject.add(entries.slice(0, 50));
      await subject.remove([entries[0]!.chunkId, entries[1]!.chunkId, "c9/none#0"]);
      expect(index.size).toBe(48);
      expect(index.has(entries[0]!.chunkId)).toBe(false);
      expect((await index.search(data[0]!, 50)).map((h) => h.chunkId)).not.toContain(entries[0]!.chunkId);
      // Re-added under the same key with another vector and another collection.
      await subject.add([{ ...entries[2]!, vector: data[500]!, collection: "moved" }]);
      expect(index.size).toBe(48);
      expect((await index.search(data[500]!, 1))[0]).toMatchObject({ chunkId: entries[2]!.chunkId });
      expect((await index.search(data[500]!, 5, { collections: ["moved"] })).map((h) => h.chunkId)).toEqual([entries[2]!.chunkId]);
      expect((await index.search(data[500]!, 50, { collections: [entries[2]!.collection] })).map((h) => h.chunkId)).not.toContain(entries[2]!.chunkId);
      // A removed key can come back.
      await subject.add([entries[0]!]);
      expect((await index.search(data[0]!, 1))[0]?.chunkId).toBe(entries[0]!.chunkId);
      expect(index.size).toBe(49);
    });
  });
}
