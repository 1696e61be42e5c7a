import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openEngine, type Engine } from "../../src/container.js";
import { queryTerms } from "../../src/text/analyzer.js";
import { ingestInto, testConfig } from "../support/temp-engine.js";

const CORPUS = join(import.meta.dirname, "..", "..", "corpora");
const QUESTIONS = ["How do I reset the hub?", "wifi password", "firmware update failed", "pair a bluetooth speaker", "error code"];

/** The serving engine's keyword hits equal SQLite FTS5's (same formula; this corpus is small enough for FTS5's exact path). */
async function expectSameAsFts(engine: Engine, fts: Engine): Promise<number> {
  let hits = 0;
  for (const q of QUESTIONS) {
    const terms = queryTerms(q);
    for (const filter of [undefined, { collections: ["manuals"] }, { sourceTypes: ["ticket" as const] }]) {
      const ours = await engine.keywords.search(terms, 10, filter);
      const theirs = await fts.keywords.search(terms, 10, filter);
      expect(ours.map((h) => h.chunkId)).toEqual(theirs.map((h) => h.chunkId));
      ours.forEach((h, i) => expect(h.score).toBeCloseTo(theirs[i]!.score, 9));
      hits += ours.length;
    }
  }
  return hits;
}

describe("serving engine with the in-memory keyword index", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it("follows ingest and deletes, writes its snapshot on close and loads it at the next open", async () => {
    const config = testConfig();
    dirs.push(config.DATA_DIR);
    const engine = await openEngine(config, { servingKeywordIndex: true });
    // A second engine on the same DATA_DIR without it: its keyword search is SQLite FTS5.
    const fts = await openEngine(config);
    const t = { engine, config, cleanup: async () => undefined };
    await ingestInto(t, [join(CORPUS, "manual")], "manuals");
    await ingestInto(t, [join(CORPUS, "tickets")], "support");
    expect(await expectSameAsFts(engine, fts)).toBeGreaterThan(0);
    const [doc] = await engine.store.listDocuments({ collection: "manuals" });
    expect(await engine.store.deleteDocument("manuals", doc!.id)).toBe(true);
    await engine.indexes.catchUp();
    await expectSameAsFts(engine, fts);
    await engine.close();

    const again = await openEngine(config, { servingKeywordIndex: true });
    try {
      expect(again.indexes.dirty).toBe(false);
      await expectSameAsFts(again, fts);
    } finally {
      await again.close();
      await fts.close();
    }
  });
});
