import { afterEach, describe, expect, it } from "vitest";
import type { KeywordDoc, KeywordHit, KeywordIndex } from "../../src/ports/keyword-index.js";
import { COLLECTIONS, randomDocs, randomFilter, randomTerms, referenceSearch, referenceStats, rng } from "./keyword-reference.js";

/**
 * One implementation under test (the same shape as ports-12's `KeywordIndexUnderTest` in
 * keyword-index.conformance.ts, so one factory serves both suites).
 */
export interface ExactnessUnderTest {
  index: KeywordIndex;
  /** Makes `docs` searchable; a doc whose chunkId is indexed already replaces it. */
  add(docs: readonly KeywordDoc[]): Promise<void>;
  /** Removes chunks by key; unknown keys are ignored. */
  remove(chunkIds: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

/** Relative tolerance of the contract: the same scores as the brute-force formula to 1e-9. */
const REL = 1e-9;

function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= REL * Math.max(Math.abs(a), Math.abs(b));
}

/**
 * `actual` is a correct top-k of `expected` (every matching doc's reference score, best first): same length, each
 * score equal to the reference's for that chunk, best first, and no better-scoring chunk left out. The order of
 * exact ties is left to the implementation.
 */
export function expectTopK(actual: readonly KeywordHit[], expected: readonly KeywordHit[], k: number): void {
  expect(actual.length).toBe(Math.min(k, expected.length));
  const ref = new Map(expected.map((h) => [h.chunkId, h.score]));
  actual.forEach((h, i) => {
    const want = ref.get(h.chunkId);
    if (want === undefined || !close(h.score, want)) expect.fail(`${h.chunkId}: score ${h.score}, reference ${want}`);
    if (i > 0 && h.score > actual[i - 1]!.score && !close(h.score, actual[i - 1]!.score)) expect.fail(`not best first at ${i}`);
  });
  if (actual.length === 0) return;
  const floor = actual[actual.length - 1]!.score;
  const kept = new Set(actual.map((h) => h.chunkId));
  for (const h of expected) if (h.score > floor && !close(h.score, floor) && !kept.has(h.chunkId)) expect.fail(`missed ${h.chunkId} (${h.score})`);
}

/**
 * The KeywordIndex contract checked against a brute-force BM25 on random corpora (several collections, every filter
 * field, replacements and deletes), run against every implementation.
 */
export function describeKeywordIndexExactness(name: string, create: () => Promise<ExactnessUnderTest>): void {
  describe(`KeywordIndex exactness: ${name}`, () => {
    const closers: Array<() => Promise<void>> = [];
    const open = async (): Promise<ExactnessUnderTest> => {
      const made = await create();
      closers.push(() => made.close());
      return made;
    };
    const build = async (docs: readonly KeywordDoc[]): Promise<KeywordIndex> => {
      const made = await open();
      await made.add(docs);
      return made.index;
    };
    afterEach(async () => {
      for (const c of closers.splice(0)) await c();
    });

    it.each([[1, 150], [2, 150], [3, 150], [4, 2000]])("matches brute-force BM25 on a random corpus with random filters (seed %i, %i chunks)", async (seed, size) => {
      const r = rng(seed);
      const docs = randomDocs(r, size);
      const index = await build(docs);
      const documentIds = [...new Set(docs.map((d) => d.documentId))];
      for (let q = 0; q < 60; q++) {
        const terms = randomTerms(r);
        const filter = randomFilter(r, documentIds);
        const k = [1, 5, 20, 1000][q % 4]!;
        expectTopK(await index.search(terms, k, filter), referenceSearch(docs, terms, filter), k);
      }
    });

    it("scopes statistics to the collections asked for", async () => {
      const r = rng(7);
      const docs = randomDocs(r, 200);
      const index = await build(docs);
      const terms = ["w0", "w1", "w5", "w30", "w79", "unknown-term"];
      for (const collections of [undefined, [], ["alpha"], ["beta", "gamma"], ["alpha", "nowhere"], ["nowhere"]]) {
        const got = await index.stats(terms, collections);
        const want = referenceStats(docs, terms, collections);
        expect(got.chunks).toBe(want.chunks);
        for (const t of terms) expect(got.df.get(t) ?? 0).toBe(want.df.get(t));
      }
    });

    it("ranks a collection the same whatever other collections hold", async () => {
      const r = rng(11);
      const alpha = randomDocs(r, 80, "a").map((d) => ({ ...d, collection: COLLECTIONS[0]! }));
      const others = randomDocs(r, 120, "o").map((d) => ({ ...d, collection: COLLECTIONS[1]!, bodyTokens: [...d.bodyTokens, "w0", "w2"] }));
      const alone = await build(alpha);
      const mixed = await build([...alpha, ...others]);
      for (const terms of [["w0"], ["w2", "w7"], ["w1", "w3", "w9"]]) {
        const a = await alone.search(terms, 10, { collections: ["alpha"] });
        const m = await mixed.search(terms, 10, { collections: ["alpha"] });
        expectTopK(m, referenceSearch(alpha, terms), 10);
        expect(m.length).toBe(a.length);
        m.forEach((h, i) => expect(close(h.score, a[i]!.score)).toBe(true));
      }
    });

    it("keeps ticket chunks only from ticketCollections, and none for an empty list", async () => {
      const docs = randomDocs(rng(5), 120);
      const index = await build(docs);
      const none = await index.search(["w0", "w1"], 1000, { ticketCollections: [] });
      const ids = new Set(docs.filter((d) => d.sourceType === "ticket").map((d) => d.chunkId));
      expect(none.length).toBeGreaterThan(0);
      expect(none.some((h) => ids.has(h.chunkId))).toBe(false);
    });

    it("stays exact through replacements and deletes", async () => {
      const r = rng(13);
      const made = await open();
      const live = new Map(randomDocs(r, 400).map((d) => [d.chunkId, d]));
      await made.add([...live.values()]);
      // New terms and metadata under an existing key; a key names one chunk of one document, so those stay.
      const replaced = randomDocs(r, 100).map((d, i) => {
        const old = live.get(`c${i * 2}`)!;
        return { ...d, chunkId: old.chunkId, collection: old.collection, documentId: old.documentId };
      });
      await made.add(replaced);
      for (const d of replaced) live.set(d.chunkId, d);
      const gone = [...live.keys()].filter((_, i) => i % 3 === 0);
      await made.remove([...gone, "never-there"]);
      for (const id of gone) live.delete(id);
      const docs = [...live.values()];
      const documentIds = [...new Set(docs.map((d) => d.documentId))];
      for (let q = 0; q < 40; q++) {
        const terms = randomTerms(r);
        const filter = randomFilter(r, documentIds);
        expectTopK(await made.index.search(terms, 10, filter), referenceSearch(docs, terms, filter), 10);
        const stats = await made.index.stats(terms, filter.collections);
        expect(stats).toEqual(referenceStats(docs, terms, filter.collections));
      }
    });

    it("returns nothing for unknown terms, no terms, or an empty index", async () => {
      const index = await build(randomDocs(rng(3), 50));
      expect(await index.search(["unknown-term"], 10)).toEqual([]);
      expect(await index.search([], 10)).toEqual([]);
      const empty = await build([]);
      expect(await empty.search(["w0"], 10)).toEqual([]);
      expect((await empty.stats(["w0"])).chunks).toBe(0);
    });
  });
}
