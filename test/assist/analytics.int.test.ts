import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
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

// Proposals on both backends: test/ports/analytics-store.conformance.ts. Here: the SQLite migration of older corrections.
describe("proposals: corrections sent with feedback", () => {
  it("corrections recorded before proposals existed become open proposals when the database is migrated", async () => {
    store.close();
    rmSync(file);
    // The schema as migration 2 left it, with one correction in it.
    const db = new Database(file);
    db.exec(`CREATE TABLE served (id TEXT PRIMARY KEY, kind TEXT NOT NULL, question TEXT NOT NULL, outcome TEXT NOT NULL, confidence REAL NOT NULL,
        language TEXT, key_name TEXT, created_at TEXT NOT NULL, collections TEXT);
      CREATE TABLE served_citations (served_id TEXT NOT NULL, document_id TEXT NOT NULL, PRIMARY KEY (served_id, document_id));
      CREATE TABLE feedback (id INTEGER PRIMARY KEY AUTOINCREMENT, answer_id TEXT NOT NULL, rating TEXT NOT NULL, comment TEXT,
        corrected_answer TEXT, key_name TEXT, created_at TEXT NOT NULL);
      INSERT INTO served VALUES ('old', 'answer', 'old question', 'refused', 0.1, 'en', 'bot', '2026-01-01T00:00:00.000Z', NULL);
      INSERT INTO feedback (answer_id, rating, corrected_answer, key_name, created_at) VALUES ('old', 'down', 'Old fix.', 'bot', '2026-01-01T00:01:00.000Z');
      INSERT INTO feedback (answer_id, rating, created_at) VALUES ('old', 'up', '2026-01-01T00:02:00.000Z');
      PRAGMA user_version = 2;`);
    db.close();
    store = openSqliteAnalytics(file);
    expect((await store.proposals({ limit: 10, offset: 0 })).items).toEqual([
      { id: 1, answerId: "old", question: "old question", correctedAnswer: "Old fix.", proposedBy: "bot", state: "open", createdAt: "2026-01-01T00:01:00.000Z" },
    ]);
  });
});
