import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSqliteAnalytics, type SqliteAnalyticsStore } from "../../src/adapters/sqlite-analytics.js";
import { buildAnalyticsReport } from "../../src/assist/analytics-report.js";
import type { ServedRecord } from "../../src/ports/analytics-store.js";

let dir: string;
let file: string;
let store: SqliteAnalyticsStore;

function served(id: string, overrides: Partial<ServedRecord> = {}): ServedRecord {
  return { id, kind: "answer", question: `question ${id}`, outcome: "answered", confidence: 0.9, citedDocumentIds: [], createdAt: "2026-03-10T12:00:00.000Z", ...overrides };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "groundline-analytics-"));
  file = join(dir, "analytics.db");
  store = openSqliteAnalytics(file);
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("SQLite analytics store", async () => {
  it("counts outcomes, kinds, feedback and citations in a time range, durably", async () => {
    await store.recordServed(served("a", { citedDocumentIds: ["manual.md", "manual.md", "T-1"] }));
    await store.recordServed(served("b", { outcome: "refused", confidence: 0.1 }));
    await store.recordServed(served("c", { kind: "suggestion", outcome: "escalated", citedDocumentIds: ["manual.md"] }));
    await store.recordServed(served("old", { createdAt: "2026-01-01T00:00:00.000Z", citedDocumentIds: ["old.md"] }));
    expect(await store.recordFeedback({ answerId: "a", rating: "up", createdAt: "2026-03-10T12:01:00.000Z" })).toBe(true);
    expect(await store.recordFeedback({ answerId: "a", rating: "down", comment: "wrong", createdAt: "2026-03-10T12:02:00.000Z" })).toBe(true);
    expect(await store.recordFeedback({ answerId: "missing", rating: "up", createdAt: "2026-03-10T12:02:00.000Z" })).toBe(false);
    store.close();
    store = openSqliteAnalytics(file);

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
  });

  it("gap candidates: refused, low-confidence or down-voted, newest first", async () => {
    await store.recordServed(served("ok", { confidence: 0.95 }));
    await store.recordServed(served("refused", { outcome: "refused", confidence: 0.1, createdAt: "2026-03-10T12:00:01.000Z" }));
    await store.recordServed(served("low", { confidence: 0.4, createdAt: "2026-03-10T12:00:02.000Z" }));
    await store.recordServed(served("down", { confidence: 0.99, createdAt: "2026-03-10T12:00:03.000Z" }));
    await store.recordFeedback({ answerId: "down", rating: "down", createdAt: "2026-03-10T13:00:00.000Z" });
    await store.recordFeedback({ answerId: "ok", rating: "up", createdAt: "2026-03-10T13:00:00.000Z" });
    const gaps = await store.gapCandidates({}, { lowConfidence: 0.5, limit: 10 });
    expect(gaps.map((g) => [g.id, g.downVotes])).toEqual([["down", 1], ["low", 0], ["refused", 0]]);
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
});

describe("analytics report", async () => {
  it("rates, feedback rates, titled most-cited documents and clustered coverage gaps", async () => {
    const questions = ["How much does the HomeHub 4 cost?", "What is the price of the HomeHub 4?", "HomeHub 4 cost", "Is there a dark mode?"];
    for (const [i, q] of questions.entries()) await store.recordServed(served(`r${i}`, { question: q, outcome: "refused", confidence: 0.1, createdAt: `2026-03-10T12:00:0${i}.000Z` }));
    await store.recordServed(served("good", { citedDocumentIds: ["manual.md"], createdAt: "2026-03-10T12:00:09.000Z" }));
    await store.recordFeedback({ answerId: "good", rating: "up", createdAt: "2026-03-10T13:00:00.000Z" });
    const report = await buildAnalyticsReport(store, { range: {}, lowConfidence: 0.5, clusterThreshold: 0.3, titleOf: (id) => (id === "manual.md" ? "User Manual" : undefined) });
    expect(report.questions).toBe(5);
    expect(report.rates).toEqual({ answered: 0.2, refused: 0.8, escalated: 0, degraded: 0 });
    expect(report.feedback).toEqual({ up: 1, down: 0, rated: 1, ratedRate: 0.2, upRate: 1, downRate: 0 });
    expect(report.mostCited).toEqual([{ documentId: "manual.md", title: "User Manual", count: 1 }]);
    expect(report.coverageGaps.candidates).toBe(4);
    expect(report.coverageGaps.clusters.map((c) => c.count)).toEqual([3, 1]);
    expect(report.coverageGaps.clusters[0]).toMatchObject({ outcomes: { refused: 3 }, averageConfidence: 0.1 });
    expect(report.coverageGaps.clusters[0]?.examples).toHaveLength(3);
  });
});
