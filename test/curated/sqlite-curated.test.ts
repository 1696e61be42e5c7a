import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSqliteCurated, type SqliteCuratedStore } from "../../src/adapters/sqlite-curated.js";
import { addWord, curatedCases, NEAR_MISS_OPERATORS, sectionPairs } from "../../src/eval/curated-pairs.js";
import type { EvalQuestion } from "../../src/eval/dataset.js";

describe("SqliteCuratedStore", () => {
  let dir: string;
  let store: SqliteCuratedStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "groundline-curated-"));
    store = openSqliteCurated(join(dir, "curated.db"));
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const v = (collection: string, id: string, author: string, at: string) => ({ collection, id, question: `q ${id}?`, answer: `a by ${author}`, author, at });

  it("numbers versions per (collection, id), keeps the first time, and lists the latest, newest first", async () => {
    await store.addVersion(v("c1", "x", "alice", "2026-01-01T00:00:00.000Z"), false);
    const second = await store.addVersion(v("c1", "x", "bob", "2026-01-02T00:00:00.000Z"), true);
    expect(second).toMatchObject({ version: 2, author: "bob", answer: "a by bob", createdAt: "2026-01-01T00:00:00.000Z", updatedAt: "2026-01-02T00:00:00.000Z" });
    // The same id in another collection is another answer.
    expect(await store.addVersion(v("c2", "x", "carol", "2026-01-03T00:00:00.000Z"), false)).toMatchObject({ version: 1, collection: "c2" });
    expect((await store.get("c1", "x"))?.versions.map((r) => [r.version, r.author])).toEqual([[1, "alice"], [2, "bob"]]);
    const all = await store.list();
    expect(all.total).toBe(2);
    expect(all.items.map((i) => [i.collection, i.version])).toEqual([["c2", 1], ["c1", 2]]);
    expect((await store.list({ collections: ["c1"] })).items.map((i) => i.collection)).toEqual(["c1"]);
    expect((await store.list({ collections: [] })).total).toBe(0);
    expect([...(await store.latest(["x"])).values()].length).toBe(1);
  });

  it("an update never creates, and remove deletes every version", async () => {
    expect(await store.addVersion(v("c1", "y", "bob", "2026-01-01T00:00:00.000Z"), true)).toBeUndefined();
    expect(await store.get("c1", "y")).toBeUndefined();
    await store.addVersion(v("c1", "y", "bob", "2026-01-01T00:00:00.000Z"), false);
    await store.addVersion(v("c1", "y", "bob", "2026-01-02T00:00:00.000Z"), true);
    expect(await store.remove("c1", "y")).toBe(true);
    expect(await store.get("c1", "y")).toBeUndefined();
    expect(await store.remove("c1", "y")).toBe(false);
  });

  it("credits the proposer of an accepted correction on its version, and on the answer while it is the latest", async () => {
    const accepted = await store.addVersion({ ...v("c1", "z", "curM", "2026-01-01T00:00:00.000Z"), proposedBy: "bot" }, false);
    expect(accepted).toMatchObject({ author: "curM", proposedBy: "bot" });
    const edited = await store.addVersion(v("c1", "z", "alice", "2026-01-02T00:00:00.000Z"), true);
    expect(edited).toMatchObject({ version: 2, author: "alice" });
    expect(edited).not.toHaveProperty("proposedBy");
    expect((await store.get("c1", "z"))?.versions.map((r) => [r.author, r.proposedBy])).toEqual([["curM", "bot"], ["alice", undefined]]);
  });
});

describe("measurement pairs", () => {
  const q = (id: string, gold: string, answer: string, kind?: string): EvalQuestion => ({ id, question: `question ${id}`, answer, gold: [gold], answerable: true, ...(kind ? { kind } : {}) });
  const questions = [
    q("a1", "s1", "press the home button and choose settings"),
    q("a2", "s1", "press the home button and choose settings", "paraphrased"),
    q("a3", "s1", "something else entirely about the section"),
    q("b1", "s2", "turn the tv off and on again"),
    q("b2", "s2", "unplug it for a minute"),
    q("c1", "s3", "one question only"),
  ];

  it("paraphrase pairs share a section and the reference answer; same-section pairs are different questions", () => {
    expect(sectionPairs(questions, "paraphrase").map(([a, b]) => [a.id, b.id])).toEqual([["a1", "a2"]]);
    expect(sectionPairs(questions, "same-section").map(([a, b]) => [a.id, b.id])).toEqual([["b1", "b2"]]);
  });

  it("unrelated questions come from other sections: the nearest by overlap, and a seeded random one", () => {
    const overlap = (_a: EvalQuestion, b: EvalQuestion): number => (b.id === "c1" ? 5 : 1);
    const [c] = curatedCases(questions, "paraphrase", overlap, 1);
    expect(c?.nearest.id).toBe("c1");
    expect(["b1", "b2", "c1"]).toContain(c?.random.id);
    expect(curatedCases(questions, "paraphrase", overlap, 1)).toEqual(curatedCases(questions, "paraphrase", overlap, 1));
  });

  it("the adds-a-word near miss is the curated question with one operator inserted, every word kept", () => {
    expect(addWord("How do I pair the remote?", "cancel")).toBe("How do I cancel pair the remote?");
    expect(addWord("?", "stop")).toBe("stop ?");
    const [c] = curatedCases(questions, "paraphrase", () => 1, 1);
    const added = c!.addsWord.question.split(" ").filter((w) => !c!.curated.question.split(" ").includes(w));
    expect(added).toHaveLength(1);
    expect(NEAR_MISS_OPERATORS).toContain(added[0]);
    expect(c!.addsWord.gold).toEqual(c!.curated.gold);
  });
});
