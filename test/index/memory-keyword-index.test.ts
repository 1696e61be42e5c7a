import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MemoryKeywordIndex } from "../../src/adapters/memory-keyword-index.js";
import type { KeywordDoc } from "../../src/ports/keyword-index.js";
import { describeKeywordIndexExactness } from "../ports/keyword-index-exactness.conformance.js";
import { describeKeywordIndex } from "../ports/keyword-index.conformance.js";
import { randomDocs, randomFilter, randomTerms, referenceSearch, referenceStats, rng } from "../ports/keyword-reference.js";

const dir = mkdtempSync(join(tmpdir(), "kwindex-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const PIPELINE = "analyzer-v1";

function indexOf(docs: readonly KeywordDoc[]): MemoryKeywordIndex {
  const index = new MemoryKeywordIndex();
  index.upsert(docs);
  return index;
}

async function reloaded(index: MemoryKeywordIndex, seq = 0): Promise<MemoryKeywordIndex> {
  const file = join(dir, `snap-${Math.random().toString(36).slice(2)}.kwi`);
  await index.save(file, PIPELINE, seq);
  const loaded = await MemoryKeywordIndex.load(file, PIPELINE);
  if (!("index" in loaded)) throw new Error(loaded.reason);
  expect(loaded.seq).toBe(seq);
  return loaded.index;
}

/** The in-memory index under the conformance suites' interface; `viaSnapshot` reloads it from a snapshot after each add. */
function underTest(viaSnapshot: boolean): () => Promise<{ index: MemoryKeywordIndex; add(d: readonly KeywordDoc[]): Promise<void>; remove(ids: readonly string[]): Promise<void>; close(): Promise<void> }> {
  return async () => {
    const t = {
      index: new MemoryKeywordIndex(),
      add: async (docs: readonly KeywordDoc[]) => {
        t.index.upsert(docs);
        if (viaSnapshot) t.index = await reloaded(t.index);
      },
      remove: async (ids: readonly string[]) => { t.index.remove(ids); },
      close: async () => undefined,
    };
    return t;
  };
}

describeKeywordIndex("MemoryKeywordIndex", underTest(false));
describeKeywordIndexExactness("MemoryKeywordIndex", underTest(false));
describeKeywordIndexExactness("MemoryKeywordIndex loaded from a snapshot", underTest(true));

/** Same hits, same order (ties by chunk key), scores equal to 1e-9 relative. */
async function expectSameAsReference(index: MemoryKeywordIndex, live: Map<string, KeywordDoc>, r: () => number, queries = 40): Promise<void> {
  const docs = [...live.values()];
  const documentIds = [...new Set(docs.map((d) => d.documentId))];
  for (let q = 0; q < queries; q++) {
    const terms = randomTerms(r);
    const filter = randomFilter(r, documentIds);
    const got = await index.search(terms, 15, filter);
    const want = referenceSearch(docs, terms, filter).slice(0, 15);
    expect(got.map((h) => h.chunkId)).toEqual(want.map((h) => h.chunkId));
    got.forEach((h, i) => expect(Math.abs(h.score - want[i]!.score)).toBeLessThanOrEqual(1e-9 * want[i]!.score));
    const stats = await index.stats(terms, filter.collections);
    expect(stats).toEqual(referenceStats(docs, terms, filter.collections));
  }
  expect(index.size).toBe(live.size);
}

describe("MemoryKeywordIndex", () => {
  it("stays exact through upserts that replace chunks, deletes and compaction", async () => {
    const r = rng(21);
    const index = new MemoryKeywordIndex();
    const live = new Map<string, KeywordDoc>();
    const apply = (docs: KeywordDoc[]): void => {
      index.upsert(docs);
      for (const d of docs) live.set(d.chunkId, d);
    };
    apply(randomDocs(r, 3000));
    await expectSameAsReference(index, live, r, 10);
    // Re-upsert a third with new content (same keys), then delete 2,000: past the compaction threshold.
    apply(randomDocs(r, 1000).map((d, i) => ({ ...d, chunkId: `c${i * 3}` })));
    const gone = [...live.keys()].filter(() => r() < 0.7).slice(0, 2000);
    expect(index.remove([...gone, "never-there"])).toBe(gone.length);
    for (const id of gone) live.delete(id);
    await expectSameAsReference(index, live, r, 30);
    apply(randomDocs(r, 500, "n"));
    await expectSameAsReference(index, live, r, 20);
  });

  it("keeps working after a snapshot round trip (posting lists grow out of the loaded buffer)", async () => {
    const r = rng(33);
    const live = new Map(randomDocs(r, 400).map((d) => [d.chunkId, d]));
    const original = indexOf([...live.values()]);
    original.remove(["c1", "c2", "c3"]);
    for (const id of ["c1", "c2", "c3"]) live.delete(id);
    const copy = await reloaded(original, 42);
    await expectSameAsReference(copy, live, rng(1), 20);
    const more = randomDocs(r, 300, "m");
    copy.upsert(more);
    for (const d of more) live.set(d.chunkId, d);
    copy.remove(["c10", "m5"]);
    live.delete("c10");
    live.delete("m5");
    await expectSameAsReference(copy, live, rng(2), 20);
    // Saved again with some lists grown, some still in the loaded buffer and some never searched.
    await expectSameAsReference(await reloaded(copy, 43), live, rng(3), 20);
  });

  it("rebuilds each script family's statistics from a snapshot (they are not stored), and keeps them through deletes", async () => {
    const tag = (i: number): Partial<KeywordDoc> => (i % 3 === 0 ? { language: "zh-CN" } : i % 3 === 1 ? { language: "en" } : {});
    const docs = Array.from({ length: 60 }, (_, i): KeywordDoc => ({
      chunkId: `k${i}`, titleTokens: [], bodyTokens: [`t${i % 7}`, `u${i % 5}`, "common"], collection: i % 2 ? "a" : "b", documentId: `d${i}`,
      sourceType: "manual", ...tag(i),
    }));
    const original = indexOf(docs);
    const copy = await reloaded(original);
    const terms = ["t1", "t3", "u2", "common", "missing"];
    const scopes = [undefined, ["a"], ["b"], ["a", "b"]];
    const expectSame = async (a: MemoryKeywordIndex, b: MemoryKeywordIndex): Promise<void> => {
      for (const collections of scopes) for (const family of [undefined, "cjk", "alphabetic"] as const) {
        expect(await b.stats(terms, collections, family)).toEqual(await a.stats(terms, collections, family));
      }
    };
    await expectSame(original, copy);
    // The oracle: the family's chunks and those without a language, counted directly.
    const cjk = docs.filter((d) => d.language !== "en");
    expect((await copy.stats(["common"], undefined, "cjk")).chunks).toBe(cjk.length);
    expect((await copy.stats(["t1"], ["a"], "cjk")).df.get("t1")).toBe(cjk.filter((d) => d.collection === "a" && d.bodyTokens.includes("t1")).length);
    for (const index of [original, copy]) index.remove(["k0", "k1", "k2", "k9"]);
    await expectSame(original, copy);
    expect((await copy.stats(["common"], undefined, "cjk")).chunks).toBe(cjk.length - 3);
  });

  it("takes the last of repeated keys in one batch, and rejects a batch with an unknown source type whole", async () => {
    const [a, b] = randomDocs(rng(6), 2);
    const index = indexOf([a!, { ...b!, chunkId: a!.chunkId }]);
    expect(index.size).toBe(1);
    expect(await index.search(b!.bodyTokens, 5)).toEqual(referenceSearch([{ ...b!, chunkId: a!.chunkId }], b!.bodyTokens).slice(0, 5));
    const bad = { ...a!, chunkId: "bad", sourceType: "email" } as unknown as KeywordDoc;
    expect(() => index.upsert([{ ...a!, chunkId: "ok" }, bad])).toThrow(/unknown source type 'email'/);
    expect(index.has("ok")).toBe(false);
  });

  it("writes snapshots atomically: no temp file is left behind", async () => {
    const sub = mkdtempSync(join(dir, "atomic-"));
    const index = indexOf(randomDocs(rng(4), 100));
    await index.save(join(sub, "kw.snap"), PIPELINE, 1);
    await index.save(join(sub, "kw.snap"), PIPELINE, 2);
    expect(readdirSync(sub)).toEqual(["kw.snap"]);
  });

  describe("rejects snapshots it cannot trust", () => {
    const good = join(dir, "good.kwi");
    const variant = (name: string, edit: (b: Buffer) => Buffer): string => {
      const file = join(dir, name);
      writeFileSync(file, edit(Buffer.from(readFileSync(good))));
      return file;
    };
    const reason = async (file: string, pipeline = PIPELINE): Promise<string> => {
      const loaded = await MemoryKeywordIndex.load(file, pipeline);
      if ("index" in loaded) throw new Error(`${file} was accepted`);
      return loaded.reason;
    };

    it("missing, foreign, other pipeline, other format, corrupt or truncated", async () => {
      await indexOf(randomDocs(rng(8), 200)).save(good, PIPELINE, 9);
      expect("index" in (await MemoryKeywordIndex.load(good, PIPELINE))).toBe(true);
      expect(await reason(join(dir, "absent.kwi"))).toBe("no snapshot");
      expect(await reason(variant("foreign.kwi", () => Buffer.from("{\"not\": \"a snapshot\"}")))).toMatch(/not a keyword index snapshot/);
      expect(await reason(good, "analyzer-v2")).toMatch(/pipeline 'analyzer-v1'/);
      expect(await reason(variant("format.kwi", (b) => { b.writeUInt32LE(99, 8); return b; }))).toMatch(/format 99/);
      expect(await reason(variant("format1.kwi", (b) => { b.writeUInt32LE(1, 8); return b; }))).toMatch(/format 1, expected 3/);
      // Format 2 (no term sequences) is rebuilt once.
      expect(await reason(variant("format2.kwi", (b) => { b.writeUInt32LE(2, 8); return b; }))).toMatch(/format 2, expected 3/);
      expect(await reason(variant("flipped.kwi", (b) => { b[b.length - 5]! ^= 0xff; return b; }))).toMatch(/checksum/);
      expect(await reason(variant("flipped-first.kwi", (b) => { b[b.readUInt32LE(12)]! ^= 0x01; return b; }))).toMatch(/checksum/);
      expect(await reason(variant("flipped-crc.kwi", (b) => { b[32]! ^= 0x01; return b; }))).toMatch(/checksum/);
      expect(await reason(variant("truncated.kwi", (b) => b.subarray(0, b.length - 100)))).toMatch(/truncated/);
      expect(await reason(variant("empty.kwi", () => Buffer.alloc(0)))).toMatch(/not a keyword index snapshot/);
    });
  });

  it("keeps collection-scoped statistics through a snapshot, with one collection and with several", async () => {
    for (const collections of [["a"], ["a", "b", "c"]]) {
      const docs = randomDocs(rng(11), 300).map((d, i) => ({ ...d, collection: collections[i % collections.length]! }));
      const index = indexOf(docs);
      const loaded = await reloaded(index);
      const terms = [...new Set(docs.flatMap((d) => d.bodyTokens))].slice(0, 40);
      for (const scope of [undefined, ["a"], collections]) expect(await loaded.stats(terms, scope)).toEqual(await index.stats(terms, scope));
    }
  });
});

describe("MemoryKeywordIndex.chunkTerms", () => {
  /** Random docs, four in five with a section path and position (the others are only searched), some long enough for two-byte term indexes. */
  function placedDocs(r: () => number, count: number, prefix = "c"): KeywordDoc[] {
    return randomDocs(r, count, prefix).map((d, i) => {
      const bodyTokens = i % 50 === 7 ? Array.from({ length: 600 }, (_, k) => `w${k % 300}`).concat(d.bodyTokens) : d.bodyTokens;
      // Runs of four docs share a section path (as a section's chunks do); some paths are not ASCII.
      const sectionPath = [`Part ${Math.floor(i / 12) % 7}`, Math.floor(i / 4) % 5 === 0 ? `设置 ${Math.floor(i / 4)}` : `Section ${Math.floor(i / 4)}`];
      return r() < 0.2 ? { ...d, bodyTokens } : { ...d, bodyTokens, sectionPath, position: i % 5 };
    });
  }

  /** What `getChunkTerms` gives for a doc: the same keys in the same order (chunkId, documentId, sectionPath, position, terms, language). */
  function expected(d: KeywordDoc): unknown {
    return {
      chunkId: d.chunkId, documentId: d.documentId, sectionPath: d.sectionPath, position: d.position, titleTokens: d.titleTokens, bodyTokens: d.bodyTokens,
      ...(d.language !== undefined ? { language: d.language } : {}),
    };
  }

  function expectTerms(index: MemoryKeywordIndex, live: ReadonlyMap<string, KeywordDoc>, gone: readonly string[]): void {
    const ids = [...live.keys(), ...gone];
    const got = index.chunkTerms(ids);
    const kept = [...live.values()].filter((d) => d.position !== undefined);
    expect([...got.keys()]).toEqual(kept.map((d) => d.chunkId));
    for (const d of kept) {
      const terms = got.get(d.chunkId)!;
      expect(terms).toEqual(expected(d));
      expect(JSON.stringify(terms)).toBe(JSON.stringify(expected(d)));
    }
  }

  it("gives back each kept chunk's terms exactly through replaces, deletes, compaction and snapshots", async () => {
    const r = rng(5);
    const index = new MemoryKeywordIndex();
    const live = new Map<string, KeywordDoc>();
    const apply = (docs: KeywordDoc[]): void => {
      index.upsert(docs);
      for (const d of docs) live.set(d.chunkId, d);
    };
    apply(placedDocs(r, 3000));
    expectTerms(index, live, []);
    apply(placedDocs(r, 1000).map((d, i) => ({ ...d, chunkId: `c${i * 3}` })));
    const gone = [...live.keys()].filter(() => r() < 0.7).slice(0, 2000);
    index.remove(gone);
    for (const id of gone) live.delete(id);
    expectTerms(index, live, gone);
    const copy = await reloaded(index);
    expectTerms(copy, live, gone);
    const more = placedDocs(r, 300, "m");
    copy.upsert(more);
    for (const d of more) live.set(d.chunkId, d);
    expectTerms(copy, live, gone);
    expectTerms(await reloaded(copy), live, gone);
  });
});
