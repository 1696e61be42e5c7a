// The behaviour every AnalyticsStore (src/ports/analytics-store.ts) must share, run against each backend.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AnalyticsStore, ServedRecord } from "../../src/ports/analytics-store.js";
import type { StateUnderTest } from "./state-harness.js";

export function served(id: string, overrides: Partial<ServedRecord> = {}): ServedRecord {
  return { id, kind: "answer", question: `question ${id}`, outcome: "answered", confidence: 0.9, citedDocumentIds: [], createdAt: "2026-03-10T12:00:00.000Z", ...overrides };
}

export function describeAnalyticsStore(name: string, create: () => Promise<StateUnderTest>): void {
  describe(`${name}: analytics store conformance`, () => {
    let subject: StateUnderTest;
    let store: AnalyticsStore;
    beforeEach(async () => {
      subject = await create();
      store = subject.state.openAnalytics();
    });
    afterEach(async () => {
      store.close();
      await subject.close();
    });

    it("counts outcomes, kinds, feedback and citations in a time range, read back by another connection", async () => {
      await store.recordServed(served("a", { citedDocumentIds: ["manual.md", "manual.md", "T-1"] }));
      await store.recordServed(served("b", { outcome: "refused", confidence: 0.1 }));
      await store.recordServed(served("c", { kind: "suggestion", outcome: "escalated", citedDocumentIds: ["manual.md"] }));
      await store.recordServed(served("old", { createdAt: "2026-01-01T00:00:00.000Z", citedDocumentIds: ["old.md"] }));
      expect(await store.recordFeedback({ answerId: "a", rating: "up", createdAt: "2026-03-10T12:01:00.000Z" })).toBe(true);
      expect(await store.recordFeedback({ answerId: "a", rating: "down", comment: "wrong", createdAt: "2026-03-10T12:02:00.000Z" })).toBe(true);
      expect(await store.recordFeedback({ answerId: "missing", rating: "up", createdAt: "2026-03-10T12:02:00.000Z" })).toBe(false);
      store.close();
      store = subject.state.openAnalytics();

      const s = await store.summary({ from: "2026-03-01T00:00:00.000Z", to: "2026-04-01T00:00:00.000Z" });
      expect(s.total).toBe(3);
      expect(s.byOutcome).toEqual({ answered: 1, refused: 1, escalated: 1, degraded: 0 });
      expect(s.byKind).toEqual({ answer: 2, suggestion: 1 });
      expect(s.feedback).toEqual({ up: 1, down: 1, rated: 1 });
      expect(s.topCited).toEqual([{ documentId: "manual.md", count: 2 }, { documentId: "T-1", count: 1 }]);
      expect(s.byDay).toEqual([{ day: "2026-03-10", outcomes: { answered: 1, refused: 1, escalated: 1, degraded: 0 } }]);
      expect((await store.summary({})).byDay.map((d) => [d.day, d.outcomes.answered])).toEqual([["2026-01-01", 1], ["2026-03-10", 1]]);
      expect((await store.summary({})).total).toBe(4);
      expect((await store.summary({ to: "2026-02-01T00:00:00.000Z" })).topCited).toEqual([{ documentId: "old.md", count: 1 }]);
      expect((await store.summary({}, 1)).topCited).toEqual([{ documentId: "manual.md", count: 2 }]);
    });

    it("gap candidates: refused, low-confidence or down-voted, newest first", async () => {
      await store.recordServed(served("ok", { confidence: 0.95 }));
      await store.recordServed(served("refused", { outcome: "refused", confidence: 0.1, createdAt: "2026-03-10T12:00:01.000Z" }));
      await store.recordServed(served("low", { confidence: 0.4, createdAt: "2026-03-10T12:00:02.000Z" }));
      await store.recordServed(served("down", { confidence: 0.99, createdAt: "2026-03-10T12:00:03.000Z" }));
      await store.recordFeedback({ answerId: "down", rating: "down", createdAt: "2026-03-10T13:00:00.000Z" });
      await store.recordFeedback({ answerId: "ok", rating: "up", createdAt: "2026-03-10T13:00:00.000Z" });
      const gaps = await store.gapCandidates({}, { lowConfidence: 0.5, limit: 10 });
      expect(gaps.map((g) => [g.id, g.downVotes, g.outcome])).toEqual([["down", 1, "answered"], ["low", 0, "answered"], ["refused", 0, "refused"]]);
      expect(gaps[1]).toEqual({ id: "low", question: "question low", outcome: "answered", confidence: 0.4, downVotes: 0, createdAt: "2026-03-10T12:00:02.000Z" });
      expect(await store.gapCandidates({}, { lowConfidence: 0.5, limit: 1 })).toHaveLength(1);
    });

    it("re-recording an id replaces the record and its citations but keeps its feedback", async () => {
      await store.recordServed(served("a", { citedDocumentIds: ["x"] }));
      await store.recordFeedback({ answerId: "a", rating: "down", createdAt: "2026-03-10T13:00:00.000Z" });
      await store.recordServed(served("a", { citedDocumentIds: ["y"], outcome: "escalated" }));
      const s = await store.summary({});
      expect(s.total).toBe(1);
      expect(s.byOutcome.escalated).toBe(1);
      expect(s.topCited).toEqual([{ documentId: "y", count: 1 }]);
      expect(s.feedback.down).toBe(1);
    });

    it("a collection-limited viewer sees only records served within its collections, and rates only those", async () => {
      await store.recordServed(served("all"));
      await store.recordServed(served("in-a", { collections: ["a"], outcome: "refused" }));
      await store.recordServed(served("in-ab", { collections: ["a", "b", "a"], outcome: "refused" }));
      const a = { collections: ["a"] };
      expect((await store.summary({}, 10, a)).total).toBe(1);
      expect((await store.summary({}, 10, { collections: ["b", "a"] })).total).toBe(2);
      expect((await store.summary({})).total).toBe(3);
      expect((await store.gapCandidates({}, { lowConfidence: 0.5, limit: 10, ...a })).map((g) => g.id)).toEqual(["in-a"]);
      expect(await store.recordFeedback({ answerId: "all", rating: "up", createdAt: "2026-03-10T13:00:00.000Z" }, a)).toBe(false);
      expect(await store.recordFeedback({ answerId: "in-ab", rating: "up", createdAt: "2026-03-10T13:00:00.000Z" }, a)).toBe(false);
      expect(await store.recordFeedback({ answerId: "in-a", rating: "up", createdAt: "2026-03-10T13:00:00.000Z" }, a)).toBe(true);
      expect((await store.summary({})).feedback).toEqual({ up: 1, down: 0, rated: 1 });
    });

    it("a widget scope rates only answers served to its key, and a new rating replaces the key's earlier one", async () => {
      await store.recordServed(served("mine", { keyName: "help-site" }));
      await store.recordServed(served("other", { keyName: "bot" }));
      const own = { servedTo: "help-site", replaceOwn: true };
      const at = "2026-03-10T13:00:00.000Z";
      expect(await store.recordFeedback({ answerId: "other", rating: "up", keyName: "help-site", createdAt: at }, own)).toBe(false);
      expect(await store.recordFeedback({ answerId: "mine", rating: "up", keyName: "help-site", createdAt: at }, own)).toBe(true);
      expect(await store.recordFeedback({ answerId: "mine", rating: "down", keyName: "help-site", createdAt: at }, own)).toBe(true);
      expect((await store.summary({})).feedback).toEqual({ up: 0, down: 1, rated: 1 });
    });
  });
}
