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

    it("a correction is an open proposal with the served question and answer, visible only within its collections", async () => {
      await store.recordServed(served("q1", { outcome: "refused", answer: "I could not find this.", collections: ["manuals"], keyName: "bot" }));
      await store.recordServed(served("q2", { collections: ["secret"] }));
      await store.recordFeedback({ answerId: "q1", rating: "down", createdAt: "2026-03-10T12:01:00.000Z" });
      await store.recordFeedback({ answerId: "q1", rating: "down", correctedAnswer: "Hold OK and Back.", keyName: "bot", createdAt: "2026-03-10T12:02:00.000Z" });
      await store.recordFeedback({ answerId: "q2", rating: "down", correctedAnswer: "Secret fix.", createdAt: "2026-03-10T12:03:00.000Z" });
      const all = await store.proposals({ limit: 10, offset: 0 });
      expect(all.total).toBe(2);
      expect(all.items[1]).toEqual({
        id: expect.any(Number), answerId: "q1", question: "question q1", answer: "I could not find this.", correctedAnswer: "Hold OK and Back.",
        proposedBy: "bot", collections: ["manuals"], state: "open", createdAt: "2026-03-10T12:02:00.000Z",
      });
      expect((await store.proposals({ limit: 1, offset: 1 })).items.map((p) => p.answerId)).toEqual(["q1"]);
      const mine = await store.proposals({ limit: 10, offset: 0, collections: ["manuals"] });
      expect([mine.total, mine.items.map((p) => p.answerId)]).toEqual([1, ["q1"]]);
      expect(await store.proposal(mine.items[0]!.id, { collections: ["manuals"] })).toEqual(all.items[1]);
      const secret = all.items[0]!;
      expect(await store.proposal(secret.id, { collections: ["manuals"] })).toBeUndefined();
      expect(await store.reviewProposal(secret.id, { state: "dismissed", by: "curM", at: "2026-03-11T00:00:00.000Z" }, { collections: ["manuals"] })).toBe(false);
      expect(await store.proposal(secret.id)).toMatchObject({ state: "open" });
      expect(await store.proposal(987_654)).toBeUndefined();
      // Gap candidates say where they were served (the review queue marks the ones a curated answer now covers).
      expect((await store.gapCandidates({}, { lowConfidence: 0.5, limit: 10, collections: ["manuals"] }))[0]).toMatchObject({ id: "q1", collections: ["manuals"] });
    });

    it("a proposal is reviewed once: accepted or dismissed atomically, also by two reviewers at once, then listed by state", async () => {
      await store.recordServed(served("q1"));
      await store.recordFeedback({ answerId: "q1", rating: "down", correctedAnswer: "A.", createdAt: "2026-03-10T12:02:00.000Z" });
      await store.recordFeedback({ answerId: "q1", rating: "down", correctedAnswer: "B.", createdAt: "2026-03-10T12:03:00.000Z" });
      const [b, a] = (await store.proposals({ state: "open", limit: 10, offset: 0 })).items;
      expect(await store.reviewProposal(a!.id, { state: "accepted", by: "curM", at: "2026-03-11T00:00:00.000Z", curatedId: "curated-1" })).toBe(true);
      expect(await store.reviewProposal(a!.id, { state: "dismissed", by: "ops", at: "2026-03-11T00:00:01.000Z" })).toBe(false);
      expect(await store.proposal(a!.id)).toMatchObject({ state: "accepted", reviewedBy: "curM", reviewedAt: "2026-03-11T00:00:00.000Z", curatedId: "curated-1" });
      const other = subject.state.openAnalytics();
      try {
        const race = await Promise.all([store, other, store, other].map((s, i) =>
          s.reviewProposal(b!.id, { state: i % 2 ? "dismissed" : "accepted", by: `r${i}`, at: "2026-03-11T00:00:02.000Z" })));
        expect(race.filter(Boolean)).toHaveLength(1);
      } finally {
        other.close();
      }
      expect((await store.proposals({ state: "open", limit: 10, offset: 0 })).total).toBe(0);
      const reviewed = [...(await store.proposals({ state: "accepted", limit: 10, offset: 0 })).items, ...(await store.proposals({ state: "dismissed", limit: 10, offset: 0 })).items];
      expect(reviewed.map((p) => p.id).sort()).toEqual([a!.id, b!.id].sort());
      expect((await store.summary({})).feedback).toEqual({ up: 0, down: 2, rated: 1 });
    });
  });
}
