// The behaviour every CuratedStore (src/ports/curated-store.ts) must share, run against each backend.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CuratedStore } from "../../src/ports/curated-store.js";
import type { StateUnderTest } from "./state-harness.js";

const v = (collection: string, id: string, author: string, at: string) => ({ collection, id, question: `q ${id}?`, answer: `a by ${author}`, author, at });

export function describeCuratedStore(name: string, create: () => Promise<StateUnderTest>): void {
  describe(`${name}: curated store conformance`, () => {
    let subject: StateUnderTest;
    let store: CuratedStore;
    beforeEach(async () => {
      subject = await create();
      store = subject.state.openCurated();
    });
    afterEach(async () => {
      store.close();
      await subject.close();
    });

    it("numbers versions per (collection, id), keeps the first time, and lists the latest, newest first", async () => {
      await store.addVersion(v("c1", "x", "alice", "2026-01-01T00:00:00.000Z"), false);
      const second = await store.addVersion(v("c1", "x", "bob", "2026-01-02T00:00:00.000Z"), true);
      expect(second).toEqual({ id: "x", collection: "c1", question: "q x?", answer: "a by bob", version: 2, author: "bob", createdAt: "2026-01-01T00:00:00.000Z", updatedAt: "2026-01-02T00:00:00.000Z" });
      // The same id in another collection is another answer.
      expect(await store.addVersion(v("c2", "x", "carol", "2026-01-03T00:00:00.000Z"), false)).toMatchObject({ version: 1, collection: "c2" });
      expect((await store.get("c1", "x"))?.versions.map((r) => [r.version, r.author, r.createdAt])).toEqual([[1, "alice", "2026-01-01T00:00:00.000Z"], [2, "bob", "2026-01-02T00:00:00.000Z"]]);
      const all = await store.list();
      expect(all.total).toBe(2);
      expect(all.items.map((i) => [i.collection, i.version])).toEqual([["c2", 1], ["c1", 2]]);
      expect((await store.list({ collections: ["c1"] })).items.map((i) => i.collection)).toEqual(["c1"]);
      expect((await store.list({ collections: [] })).total).toBe(0);
      expect((await store.list({ limit: 1, offset: 1 })).items.map((i) => i.collection)).toEqual(["c1"]);
      expect([...(await store.latest(["x"])).values()].length).toBe(1);
      expect((await store.latest([])).size).toBe(0);
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
      const accepted = await store.addVersion({ ...v("c1", "p", "curM", "2026-01-01T00:00:00.000Z"), proposedBy: "bot" }, false);
      expect(accepted).toMatchObject({ author: "curM", proposedBy: "bot" });
      expect((await store.list()).items[0]).toMatchObject({ id: "p", proposedBy: "bot" });
      const edited = await store.addVersion(v("c1", "p", "alice", "2026-01-02T00:00:00.000Z"), true);
      expect(edited).toMatchObject({ version: 2, author: "alice" });
      expect(edited).not.toHaveProperty("proposedBy");
      expect((await store.get("c1", "p"))?.versions.map((r) => [r.author, r.proposedBy])).toEqual([["curM", "bot"], ["alice", undefined]]);
    });

    it("concurrent revisions of one answer get consecutive versions, none lost", async () => {
      await store.addVersion(v("c1", "z", "a0", "2026-01-01T00:00:00.000Z"), false);
      const other = subject.state.openCurated();
      try {
        await Promise.all(Array.from({ length: 6 }, (_, i) =>
          (i % 2 ? other : store).addVersion(v("c1", "z", `a${i + 1}`, `2026-01-02T00:00:0${i}.000Z`), true)));
      } finally {
        other.close();
      }
      expect((await store.get("c1", "z"))?.versions.map((r) => r.version)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    });
  });
}
