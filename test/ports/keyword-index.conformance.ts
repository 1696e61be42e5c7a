// The behaviour every KeywordIndex (src/ports/keyword-index.ts) must share, as one suite run against each
// implementation: `describeKeywordIndex("name", create)` in a *.test.ts file registers it.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ChunkFilter } from "../../src/domain/chunk.js";
import type { KeywordDoc, KeywordIndex } from "../../src/ports/keyword-index.js";

/** One implementation under test: the index and how chunks get into and out of it. */
export interface KeywordIndexUnderTest {
  index: KeywordIndex;
  /** Makes `docs` searchable; a doc whose chunkId is indexed already replaces it. */
  add(docs: readonly KeywordDoc[]): Promise<void>;
  /** Removes chunks by key; unknown keys are ignored. */
  remove(chunkIds: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

/** FTS5's bm25() weights and constants, which the port's contract fixes. */
const WEIGHTS = { title: 2, body: 1 };
const K1 = 1.2;
const B = 0.75;

/** A chunk keyed as the store keys them (`collection/documentId#n`). */
export function kdoc(collection: string, documentId: string, n: number, body: string, extra: Partial<KeywordDoc> = {}): KeywordDoc {
  return {
    chunkId: `${collection}/${documentId}#${n}`, titleTokens: [], bodyTokens: body.split(" ").filter(Boolean), collection, documentId,
    sourceType: "manual", ...extra,
  };
}

/**
 * The test oracle: BM25 exactly as the contract states it (FTS5's formula: column-weighted term frequency, IDF
 * ln((N − n + 0.5) / (n + 0.5)) floored at 1e-6, length = tokens of both fields), with statistics over `corpus`.
 */
export function referenceBm25(corpus: readonly KeywordDoc[], doc: KeywordDoc, terms: readonly string[]): number {
  const n = corpus.length;
  const avgdl = corpus.reduce((s, d) => s + d.titleTokens.length + d.bodyTokens.length, 0) / Math.max(1, n);
  const length = doc.titleTokens.length + doc.bodyTokens.length;
  let score = 0;
  for (const term of new Set(terms)) {
    const df = corpus.filter((d) => d.titleTokens.includes(term) || d.bodyTokens.includes(term)).length;
    const raw = Math.log((n - df + 0.5) / (df + 0.5));
    const idf = raw > 0 ? raw : 1e-6;
    const f = WEIGHTS.title * doc.titleTokens.filter((t) => t === term).length + WEIGHTS.body * doc.bodyTokens.filter((t) => t === term).length;
    if (f > 0) score += (idf * f * (K1 + 1)) / (f + K1 * (1 - B + (B * length) / avgdl));
  }
  return score;
}

/** Two collections where "router" is common in one and rare in the other (so their IDFs differ a lot). */
function twoCollections(): KeywordDoc[] {
  const docs: KeywordDoc[] = [];
  for (let i = 0; i < 8; i++) docs.push(kdoc("big", `b${i}`, 0, `router ${i % 2 ? "firmware update" : "power cable"} filler${i}`));
  docs.push(kdoc("big", "b8", 0, "reset button pressed long"));
  for (let i = 0; i < 5; i++) docs.push(kdoc("small", `s${i}`, 0, `speaker pairing bluetooth word${i}`));
  docs.push(kdoc("small", "s5", 0, "router firmware on the speaker", { titleTokens: ["firmware"] }));
  docs.push(kdoc("small", "s6", 0, "reset the router twice then wait"));
  return docs;
}

/** Registers the shared keyword-index cases for one implementation. */
export function describeKeywordIndex(name: string, create: () => Promise<KeywordIndexUnderTest>): void {
  describe(`${name}: keyword index conformance`, () => {
    let subject: KeywordIndexUnderTest;
    let index: KeywordIndex;
    beforeEach(async () => {
      subject = await create();
      index = subject.index;
    });
    afterEach(async () => {
      await subject.close();
    });
    const ids = async (terms: string[], filter?: ChunkFilter, k = 50): Promise<string[]> =>
      (await index.search(terms, k, filter)).map((h) => h.chunkId);

    it("ranks by BM25 with the title field weighted, best first, positive scores, at most k", async () => {
      const docs = [
        kdoc("c", "a", 0, "reset the power", { titleTokens: ["router"] }),
        kdoc("c", "a", 1, "router power", { titleTokens: ["other"] }),
        kdoc("c", "a", 2, "router reset power", { titleTokens: ["other"] }),
        kdoc("c", "a", 3, "unrelated words", { titleTokens: ["other"] }),
        kdoc("c", "b", 0, "manual pages", { titleTokens: ["other"] }),
        kdoc("c", "b", 1, "more unrelated text"),
        kdoc("c", "b", 2, "still unrelated"),
        kdoc("c", "b", 3, "nothing to see"),
      ];
      await subject.add(docs);
      const hits = await index.search(["router"], 10);
      expect(hits.map((h) => h.chunkId)).toEqual(["c/a#0", "c/a#1", "c/a#2"]);
      expect(hits.every((h) => h.score > 0)).toBe(true);
      for (let i = 1; i < hits.length; i++) expect(hits[i - 1]!.score).toBeGreaterThanOrEqual(hits[i]!.score);
      const multi = await index.search(["reset", "power", "reset"], 10);
      for (const h of multi) expect(h.score).toBeCloseTo(referenceBm25(docs, docs.find((d) => d.chunkId === h.chunkId)!, ["reset", "power"]), 6);
      expect(multi.map((h) => h.chunkId).slice(0, 2).sort()).toEqual(["c/a#0", "c/a#2"]);
      expect(await index.search(["router"], 2)).toHaveLength(2);
      expect(await index.search([], 10)).toEqual([]);
      expect(await index.search(["router"], 0)).toEqual([]);
      expect(await index.search(['"router', "OR", "NEAR(", "*"], 10)).toEqual([]);
    });

    it("scores exactly FTS5's formula over every collection when the filter names none", async () => {
      const docs = twoCollections();
      await subject.add(docs);
      for (const terms of [["router"], ["router", "firmware"], ["reset", "speaker", "nothing"]]) {
        const hits = await index.search(terms, 50);
        const expected = docs.map((d) => ({ id: d.chunkId, s: referenceBm25(docs, d, terms) })).filter((e) => e.s > 0);
        expect(hits.map((h) => h.chunkId).sort()).toEqual(expected.map((e) => e.id).sort());
        for (const h of hits) expect(h.score).toBeCloseTo(expected.find((e) => e.id === h.chunkId)!.s, 6);
      }
    });

    it("scopes statistics to the collections the filter covers", async () => {
      const docs = twoCollections();
      await subject.add(docs);
      const small = docs.filter((d) => d.collection === "small");
      for (const terms of [["router"], ["router", "firmware"], ["reset", "router", "speaker"]]) {
        const hits = await index.search(terms, 50, { collections: ["small"] });
        const expected = small.map((d) => ({ id: d.chunkId, s: referenceBm25(small, d, terms) })).filter((e) => e.s > 0);
        expect(hits.map((h) => h.chunkId).sort()).toEqual(expected.map((e) => e.id).sort());
        for (const h of hits) expect(h.score).toBeCloseTo(expected.find((e) => e.id === h.chunkId)!.s, 6);
      }
      // Covering both collections is the whole store.
      const both = await index.search(["router"], 50, { collections: ["small", "big"] });
      for (const h of both) expect(h.score).toBeCloseTo(referenceBm25(docs, docs.find((d) => d.chunkId === h.chunkId)!, ["router"]), 6);
      // An unknown collection in the list adds nothing to the statistics.
      const withUnknown = await index.search(["router"], 50, { collections: ["small", "nowhere"] });
      for (const h of withUnknown) expect(h.score).toBeCloseTo(referenceBm25(small, small.find((d) => d.chunkId === h.chunkId)!, ["router"]), 6);
    });

    it("never lets one collection's documents shift another collection's ranking", async () => {
      const docs = twoCollections();
      await subject.add(docs);
      const before = await index.search(["router", "reset"], 50, { collections: ["small"] });
      await subject.add(Array.from({ length: 20 }, (_, i) => kdoc("big", `more${i}`, 0, `reset router again ${i}`)));
      const after = await index.search(["router", "reset"], 50, { collections: ["small"] });
      expect(after.map((h) => h.chunkId)).toEqual(before.map((h) => h.chunkId));
      after.forEach((h, i) => expect(h.score).toBeCloseTo(before[i]!.score, 9));
      expect(await index.stats(["router"], ["small"])).toEqual({ chunks: 7, df: new Map([["router", 2]]) });
    });

    it("restricts hits with the other filter fields without changing statistics", async () => {
      const docs = [
        kdoc("c1", "a", 0, "router one", { product: "r1", language: "en" }),
        kdoc("c1", "a", 1, "router three", { product: "r2", language: "en" }),
        kdoc("c1", "d", 0, "router no product"),
        kdoc("c1", "e", 0, "unrelated words here"),
        kdoc("c2", "b", 0, "router two", { sourceType: "ticket", language: "de" }),
        kdoc("c2", "f", 0, "router ticket again", { sourceType: "ticket" }),
        kdoc("c2", "g", 0, "router manual in c2"),
        kdoc("c2", "h", 0, "other words only"),
        // Fillers keep "router" rare enough for a positive IDF, and unequal between c2 and the whole store.
        ...Array.from({ length: 6 }, (_, i) => kdoc("c2", "h", i + 1, `filler text ${i}`)),
        ...Array.from({ length: 9 }, (_, i) => kdoc("c1", "e", i + 1, `padding text ${i}`)),
      ];
      await subject.add(docs);
      const sorted = async (filter: ChunkFilter): Promise<string[]> => (await ids(["router"], filter)).sort();
      expect(await sorted({})).toEqual(["c1/a#0", "c1/a#1", "c1/d#0", "c2/b#0", "c2/f#0", "c2/g#0"]);
      expect(await sorted({ collections: [] })).toEqual(await sorted({}));
      expect(await sorted({ collections: ["c2"] })).toEqual(["c2/b#0", "c2/f#0", "c2/g#0"]);
      expect(await sorted({ sourceTypes: ["manual"] })).toEqual(["c1/a#0", "c1/a#1", "c1/d#0", "c2/g#0"]);
      expect(await sorted({ products: ["r1"] })).toEqual(["c1/a#0"]);
      expect(await sorted({ products: ["r1", "r2"], languages: ["en"] })).toEqual(["c1/a#0", "c1/a#1"]);
      expect(await sorted({ languages: ["de", "fr"] })).toEqual(["c2/b#0"]);
      expect(await sorted({ documentIds: ["a", "g"] })).toEqual(["c1/a#0", "c1/a#1", "c2/g#0"]);
      expect(await sorted({ documentIds: ["a"], languages: ["de"] })).toEqual([]);
      // ticketCollections (the customer-answer policy): an empty list keeps no ticket at all, unlike the other lists;
      // a list keeps tickets of those collections only; other source types pass either way.
      expect(await sorted({ ticketCollections: [] })).toEqual(["c1/a#0", "c1/a#1", "c1/d#0", "c2/g#0"]);
      expect(await sorted({ ticketCollections: ["c1"] })).toEqual(["c1/a#0", "c1/a#1", "c1/d#0", "c2/g#0"]);
      expect(await sorted({ ticketCollections: ["c2"] })).toEqual(await sorted({}));
      // Non-collection fields restrict hits; the scores are still those of the covered collections.
      const c2 = docs.filter((d) => d.collection === "c2");
      const manualInC2 = await index.search(["router"], 10, { collections: ["c2"], sourceTypes: ["manual"] });
      expect(manualInC2.map((h) => h.chunkId)).toEqual(["c2/g#0"]);
      expect(manualInC2[0]!.score).toBeCloseTo(referenceBm25(c2, docs[6]!, ["router"]), 6);
      const everywhere = await index.search(["router"], 10, { documentIds: ["g"] });
      expect(everywhere[0]!.score).toBeCloseTo(referenceBm25(docs, docs[6]!, ["router"]), 6);
    });

    it("reports chunk counts and per-term chunk frequencies over the covered collections", async () => {
      await subject.add([
        kdoc("one", "a", 0, "router router reset", { titleTokens: ["router"] }),
        kdoc("one", "a", 1, "router power"),
        kdoc("one", "a", 2, "manual"),
        kdoc("two", "b", 0, "reset power"),
      ]);
      const all = await index.stats(["router", "reset", "missing", "router"]);
      expect(all.chunks).toBe(4);
      expect([...all.df].sort()).toEqual([["missing", 0], ["reset", 2], ["router", 2]]);
      expect(await index.stats(["reset", "power"], ["two"])).toEqual({ chunks: 1, df: new Map([["reset", 1], ["power", 1]]) });
      expect(await index.stats(["reset"], ["one", "two"])).toEqual(await index.stats(["reset"]));
      expect(await index.stats(["reset"], [])).toEqual(await index.stats(["reset"]));
      expect(await index.stats(["reset"], ["nowhere"])).toEqual({ chunks: 0, df: new Map([["reset", 0]]) });
      await subject.remove(["two/b#0"]);
      expect(await index.stats(["reset", "power"])).toEqual({ chunks: 3, df: new Map([["reset", 1], ["power", 1]]) });
    });

    it("reports one script family's statistics: its chunks and those without a language, as if they stood alone", async () => {
      // The same kind of collection as a Chinese manual beside English ones: "crontab" in both, "定时" only in Chinese.
      await subject.add([
        kdoc("m", "en", 0, "crontab weekday field", { language: "en" }),
        kdoc("m", "en", 1, "crontab edit", { language: "en-US" }),
        kdoc("m", "de", 0, "crontab bearbeiten", { language: "de" }),
        kdoc("m", "zh", 0, "crontab 定时 任务", { language: "zh-CN" }),
        kdoc("m", "zh", 1, "定时 星期", { language: "zh_TW" }),
        kdoc("m", "ja", 0, "crontab 曜日", { language: "ja" }),
        kdoc("m", "x", 0, "crontab 定时", {}),
        kdoc("other", "zh", 0, "定时 定时", { language: "zh" }),
      ]);
      const terms = ["crontab", "定时", "weekday"];
      // The family's own figures; the whole scope's come with them (`all`), as a read without a family gives them.
      const stats = async (collections: string[] | undefined, family: "cjk" | "alphabetic") => {
        const { all, ...own } = await index.stats(terms, collections, family);
        expect(all).toEqual(await index.stats(terms, collections));
        return own;
      };
      expect(await stats(["m"], "cjk")).toEqual({ chunks: 4, df: new Map([["crontab", 3], ["定时", 3], ["weekday", 0]]) });
      expect(await stats(["m"], "alphabetic")).toEqual({ chunks: 4, df: new Map([["crontab", 4], ["定时", 1], ["weekday", 1]]) });
      expect(await stats(undefined, "cjk")).toEqual({ chunks: 5, df: new Map([["crontab", 3], ["定时", 4], ["weekday", 0]]) });
      expect(await stats(["other"], "alphabetic")).toEqual({ chunks: 0, df: new Map([["crontab", 0], ["定时", 0], ["weekday", 0]]) });
      // A scope holding one family only: the family's statistics are the scope's own.
      expect(await stats(["other"], "cjk")).toEqual(await index.stats(terms, ["other"]));
      await subject.remove(["m/zh#0"]);
      expect(await stats(["m"], "cjk")).toEqual({ chunks: 3, df: new Map([["crontab", 2], ["定时", 2], ["weekday", 0]]) });
      expect((await index.stats(terms, ["m"])).chunks).toBe(6);
    });

    it("searches one script family as if the collections held only its chunks and those without a language", async () => {
      const docs = [
        kdoc("m", "en", 0, "crontab weekday field crontab", { language: "en" }),
        kdoc("m", "en", 1, "crontab edit", { language: "en" }),
        kdoc("m", "zh", 0, "crontab 定时 任务 星期", { language: "zh-CN" }),
        kdoc("m", "zh", 1, "定时 星期 crontab crontab", { language: "zh" }),
        kdoc("m", "zh", 2, "备份 恢复", { language: "zh" }),
        kdoc("m", "x", 0, "crontab 定时", {}),
        kdoc("n", "zh", 0, "crontab 定时", { language: "zh" }),
      ];
      await subject.add(docs);
      const kept = docs.filter((d) => d.collection === "m" && d.language !== "en");
      const hits = await index.search(["crontab", "定时"], 10, { collections: ["m"], scriptFamily: "cjk" });
      expect(hits.map((h) => h.chunkId).sort()).toEqual(["m/x#0", "m/zh#0", "m/zh#1"]);
      for (const h of hits) expect(h.score).toBeCloseTo(referenceBm25(kept, docs.find((d) => d.chunkId === h.chunkId)!, ["crontab", "定时"]), 6);
      expect((await index.search(["定时"], 10, { scriptFamily: "alphabetic" })).map((h) => h.chunkId)).toEqual(["m/x#0"]);
    });

    it("forgets removed chunks and replaces re-added ones", async () => {
      await subject.add([kdoc("c", "a", 0, "router reset"), kdoc("c", "a", 1, "router power"), kdoc("c", "b", 0, "router manual")]);
      await subject.remove(["c/a#0", "c/unknown#9"]);
      expect(await ids(["reset"])).toEqual([]);
      expect((await ids(["router"])).sort()).toEqual(["c/a#1", "c/b#0"]);
      await subject.add([kdoc("c", "b", 0, "speaker manual")]);
      expect((await ids(["router"])).sort()).toEqual(["c/a#1"]);
      expect(await ids(["speaker"])).toEqual(["c/b#0"]);
      expect(await index.stats(["router", "manual"])).toEqual({ chunks: 2, df: new Map([["router", 1], ["manual", 1]]) });
    });

    it("treats analyzer terms (CJK words, bigrams, stems, punctuation) as whole terms", async () => {
      await subject.add([
        { ...kdoc("c", "zh", 0, ""), bodyTokens: ["手机", "充电", "机充"] },
        { ...kdoc("c", "zh", 1, ""), bodyTokens: ["手", "机"] },
        { ...kdoc("c", "zh", 2, ""), bodyTokens: ["configur", "wi-fi", "c++", "café"] },
        kdoc("c", "pad", 0, "filler words only"),
      ]);
      expect(await ids(["手机"])).toEqual(["c/zh#0"]);
      expect(await ids(["机充"])).toEqual(["c/zh#0"]);
      expect(await ids(["手"])).toEqual(["c/zh#1"]);
      expect(await ids(["configur"])).toEqual(["c/zh#2"]);
      expect(await ids(["wi-fi"])).toEqual(["c/zh#2"]);
      expect(await ids(["wi"])).toEqual([]);
      expect(await ids(["c++"])).toEqual(["c/zh#2"]);
      expect(await ids(["cafe"])).toEqual([]);
      expect(await ids(["café"])).toEqual(["c/zh#2"]);
    });
  });
}
