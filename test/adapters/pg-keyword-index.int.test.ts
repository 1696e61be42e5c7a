// The PostgreSQL keyword index's statements: a search right after retrieval read its statistics is one statement (no
// transaction), and statistics remembered from before a write, which that statement checks, are never scored with.
import { afterEach, describe, expect, it } from "vitest";
import { timePgStatements } from "../../src/adapters/pg-statement-timing.js";
import type { KeywordDoc } from "../../src/ports/keyword-index.js";
import { kdoc, type KeywordIndexUnderTest } from "../ports/keyword-index.conformance.js";
import { expectTopK } from "../ports/keyword-index-exactness.conformance.js";
import { referenceSearch } from "../ports/keyword-reference.js";
import { pgKeywordIndex } from "../ports/pg-harness.js";

describe("PostgreSQL keyword index statements", () => {
  let subject: KeywordIndexUnderTest | undefined;
  afterEach(async () => {
    await subject?.close();
    subject = undefined;
  });

  /** The search's hits (checked against the brute-force reference over `docs`) and how many statements it ran. */
  async function search(docs: readonly KeywordDoc[], terms: string[]): Promise<number> {
    const timing = timePgStatements();
    try {
      expectTopK(await subject!.index.search(terms, 5, { collections: ["c"] }), referenceSearch(docs, terms, { collections: ["c"] }), 5);
      return [...timing.read().values()].reduce((n, s) => n + s.n, 0);
    } finally {
      timing.restore();
    }
  }

  it("searches in one statement with the statistics just read, and checks them against later writes", async () => {
    subject = await pgKeywordIndex();
    const docs = [kdoc("c", "a", 0, "router reset button"), kdoc("c", "a", 1, "router lights blink"), kdoc("c", "b", 0, "modem reset"), kdoc("d", "x", 0, "router")];
    await subject.add(docs);
    await subject.index.stats(["router", "reset"], ["c"]);
    expect(await search(docs, ["router", "reset"])).toBe(1);
    // Terms whose statistics nobody read: those first, then the round.
    expect(await search(docs, ["blink", "router"])).toBe(2);
    // A new chunk: the remembered chunk count is stale, the check says so, the search reads again.
    const more = [...docs, kdoc("c", "c", 0, "reset reset router")];
    await subject.add(more.slice(-1));
    expect(await search(more, ["router", "reset"])).toBe(3);
    // The same chunk and token counts but other terms: only the terms' frequencies tell.
    const swapped = more.map((d) => (d.chunkId === "c/b#0" ? kdoc("c", "b", 0, "modem router") : d));
    await subject.add(swapped.filter((d) => d.chunkId === "c/b#0"));
    expect(await search(swapped, ["router", "reset"])).toBe(3);
    expect(await search(swapped, ["router", "reset"])).toBe(1);
  });
});
