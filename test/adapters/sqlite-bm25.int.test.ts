import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ChunkInput } from "../../src/ports/document-repository.js";
import { openSqliteStore, type SqliteDocumentStore } from "../../src/adapters/sqlite-store.js";
import { decodeAverages, essentialTerms, scoreRows } from "../../src/adapters/sqlite-bm25.js";
import { mulberry32 } from "../../scripts/bench/zipf.js";

const WORDS = ["router", "reset", "power", "led", "amber", "wifi", "pair", "remote", "hub", "error", "e101", "firmware", "update", "cable", "green"];

/** Chunks of seeded random words; common words ("hub", "error") land in most chunks, as in real manuals. */
function corpus(n: number, seed: number, collection = "default"): ChunkInput[] {
  const rng = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => {
    const body = Array.from({ length: 5 + Math.floor(rng() * 20) }, () => WORDS[Math.floor(rng() ** 2 * WORDS.length)]!);
    const text = `${i} ${body.join(" ")}`;
    const hash = createHash("sha256").update(text).digest("hex");
    return {
      chunk: { id: `${collection}/d#${hash.slice(0, 12)}`, documentId: "d", title: "Doc", sectionPath: [], position: i, text, contentHash: hash, tokenCount: body.length, collection, sourceType: "manual" },
      titleTokens: rng() < 0.3 ? [WORDS[Math.floor(rng() * WORDS.length)]!] : ["doc"],
      bodyTokens: body,
      vector: new Float32Array([1, 0]),
    };
  });
}

let dir: string;
let exact: SqliteDocumentStore;
let rescored: SqliteDocumentStore;
beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "bm25-"));
  const file = path.join(dir, "store.db");
  exact = openSqliteStore(file, { bm25: { postingsBudget: Infinity } });
  await exact.replaceDocument({ id: "d", title: "Doc", collection: "default", sourceType: "manual", format: "text/plain", contentHash: "h" }, corpus(300, 3));
  // A second, smaller collection whose term frequencies differ: scoped queries use its statistics only.
  await exact.replaceDocument({ id: "d", title: "Doc", collection: "small", sourceType: "manual", format: "text/plain", contentHash: "h" }, corpus(60, 7, "small"));
  // Budget 0: every query is answered by FTS5 over the rarest term plus re-scoring of its candidates.
  rescored = openSqliteStore(file, { bm25: { postingsBudget: 0, minCandidates: 1000 } });
});
afterEach(async () => {
  await exact.close();
  await rescored.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("BM25 re-scoring of common terms", () => {
  for (const scope of [undefined, ["small"], ["default"]]) {
    it(`scores candidates exactly as the full scoring does (collections ${scope?.join(",") ?? "all"})`, async () => {
      const filter = scope ? { collections: scope } : undefined;
      for (const q of [["hub", "error"], ["green", "cable", "hub"], ["e101", "reset", "led", "hub", "error"]]) {
        const a = await exact.keywordIndex.search(q, 20, filter);
        const b = (await rescored.keywordIndex.search(q, 20, filter)).filter((h) => a.some((x) => x.chunkId === h.chunkId));
        expect(a.length).toBeGreaterThan(0);
        expect(b.length).toBeGreaterThan(0);
        for (const hit of b) expect(hit.score).toBeCloseTo(a.find((x) => x.chunkId === hit.chunkId)!.score, 6);
      }
    });
  }

  it("finds the same top results when the rarest term is in them", async () => {
    const q = ["green", "hub", "error"];
    const rare = (await exact.keywordIndex.search(["green"], 1000)).map((h) => h.chunkId);
    const want = (await exact.keywordIndex.search(q, 10)).filter((h) => rare.includes(h.chunkId)).map((h) => h.chunkId);
    expect((await rescored.keywordIndex.search(q, 10)).map((h) => h.chunkId).slice(0, want.length)).toEqual(want);
  });

  it("keeps the default store exact on small corpora (posting lists within budget)", async () => {
    const store = openSqliteStore(path.join(dir, "store.db"));
    try {
      for (const filter of [undefined, { collections: ["small"] }]) {
        expect(await store.keywordIndex.search(["hub", "error", "green"], 15, filter)).toEqual(await exact.keywordIndex.search(["hub", "error", "green"], 15, filter));
      }
    } finally {
      await store.close();
    }
  });
});

describe("sqlite-bm25 helpers", () => {
  it("decodes FTS5's averages record (SQLite varints)", () => {
    // 102780 rows, 1474205 title tokens, 6346199 body tokens.
    expect(decodeAverages(Uint8Array.from([0x86, 0xa2, 0x7c, 0xd9, 0xfd, 0x1d, 0x83, 0x83, 0xab, 0x57]))).toEqual({ rows: 102780, tokens: 7820404 });
    expect(decodeAverages(Uint8Array.from([0x05, 0x07, 0x01]))).toEqual({ rows: 5, tokens: 8 });
  });

  it("keeps the rarest terms that fit the budget, or all when they all fit", () => {
    const df = (t: string): number => ({ a: 10, b: 300, c: 5000, d: 0 })[t] ?? 0;
    expect(essentialTerms(["a", "b"], df, 1000)).toBeUndefined();
    expect(essentialTerms(["c", "b", "a", "d"], df, 1000)).toEqual(["a", "b"]);
    expect(essentialTerms(["c"], df, 1000)).toEqual(["c"]);
  });

  it("counts whole tokens only and ranks by score", () => {
    const rows = [
      { label: 1, title_tokens: "reset", body_tokens: "press reset resets" },
      { label: 2, title_tokens: null, body_tokens: "reseta reset" },
      { label: 3, title_tokens: "other", body_tokens: "nothing here" },
    ];
    const hits = scoreRows(rows, ["reset"], () => 1, { rows: 10, tokens: 30 }, { title: 2, body: 1 });
    expect(hits.map((h) => h.label)).toEqual([1, 2]);
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
  });
});
