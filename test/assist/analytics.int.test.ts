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

// The store's own behaviour is the conformance suite's (test/ports/analytics-store.conformance.ts, both backends).
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
