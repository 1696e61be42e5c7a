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

describe("SQLite analytics store", () => {
  it("counts outcomes, kinds, feedback and citations in a time range, durably", () => {
    store.recordServed(served("a", { citedDocumentIds: ["manual.md", "manual.md", "T-1"] }));
    store.recordServed(served("b", { outcome: "refused", confidence: 0.1 }));
    store.recordServed(served("c", { kind: "suggestion", outcome: "escalated", citedDocumentIds: ["manual.md"] }));
    store.recordServed(served("old", { createdAt: "2026-01-01T00:00:00.000Z", citedDocumentIds: ["old.md"] }));
    expect(store.recordFeedback({ answerId: "a", rating: "up", createdAt: "2026-03-10T12:01:00.000Z" })).toBe(true);
    expect(store.recordFeedback({ answerId: "a", rating: "down", comment: "wrong", createdAt: "2026-03-10T12:02:00.000Z" })).toBe(true);
    expect(store.recordFeedback({ answerId: "missing", rating: "up", createdAt: "2026-03-10T12:02:00.000Z" })).toBe(false);
    store.close();
    store = openSqliteAnalytics(file);

    const s = store.summary({ from: "2026-03-01T00:00:00.000Z", to: "2026-04-01T00:00:00.000Z" });
    expect(s.total).toBe(3);
    expect(s.byOutcome).toEqual({ answered: 1, refused: 1, escalated: 1, degraded: 0 });
    expect(s.byKind).toEqual({ answer: 2, suggestion: 1 });
    expect(s.feedback).toEqual({ up: 1, down: 1, rated: 1 });
    expect(s.topCited).toEqual([{ documentId: "manual.md", count: 2 }, { documentId: "T-1", count: 1 }]);
    expect(s.byDay).toEqual([{ day: "2026-03-10", outcomes: { answered: 1, refused: 1, escalated: 1, degraded: 0 } }]);
    expect(store.summary({}).byDay.map((d) => [d.day, d.outcomes.answered])).toEqual([["2026-01-01", 1], ["2026-03-10", 1]]);
    expect(store.summary({}).total).toBe(4);
    expect(store.summary({ to: "2026-02-01T00:00:00.000Z" }).topCited).toEqual([{ documentId: "old.md", count: 1 }]);
  });

  it("gap candidates: refused, low-confidence or down-voted, newest first", () => {
    store.recordServed(served("ok", { confidence: 0.95 }));
    store.recordServed(served("refused", { outcome: "refused", confidence: 0.1, createdAt: "2026-03-10T12:00:01.000Z" }));
    store.recordServed(served("low", { confidence: 0.4, createdAt: "2026-03-10T12:00:02.000Z" }));
    store.recordServed(served("down", { confidence: 0.99, createdAt: "2026-03-10T12:00:03.000Z" }));
    store.recordFeedback({ answerId: "down", rating: "down", createdAt: "2026-03-10T13:00:00.000Z" });
    store.recordFeedback({ answerId: "ok", rating: "up", createdAt: "2026-03-10T13:00:00.000Z" });
    const gaps = store.gapCandidates({}, { lowConfidence: 0.5, limit: 10 });
    expect(gaps.map((g) => [g.id, g.downVotes])).toEqual([["down", 1], ["low", 0], ["refused", 0]]);
    expect(store.gapCandidates({}, { lowConfidence: 0.5, limit: 1 })).toHaveLength(1);
  });

  it("re-recording an id replaces the record and its citations but keeps its feedback", () => {
    store.recordServed(served("a", { citedDocumentIds: ["x"] }));
    store.recordFeedback({ answerId: "a", rating: "down", createdAt: "2026-03-10T13:00:00.000Z" });
    store.recordServed(served("a", { citedDocumentIds: ["y"], outcome: "escalated" }));
    const s = store.summary({});
    expect(s.total).toBe(1);
    expect(s.byOutcome.escalated).toBe(1);
    expect(s.topCited).toEqual([{ documentId: "y", count: 1 }]);
    expect(s.feedback.down).toBe(1);
  });
});

describe("analytics report", () => {
  it("rates, feedback rates, titled most-cited documents and clustered coverage gaps", async () => {
    const questions = ["How much does the HomeHub 4 cost?", "What is the price of the HomeHub 4?", "HomeHub 4 cost", "Is there a dark mode?"];
    questions.forEach((q, i) => store.recordServed(served(`r${i}`, { question: q, outcome: "refused", confidence: 0.1, createdAt: `2026-03-10T12:00:0${i}.000Z` })));
    store.recordServed(served("good", { citedDocumentIds: ["manual.md"], createdAt: "2026-03-10T12:00:09.000Z" }));
    store.recordFeedback({ answerId: "good", rating: "up", createdAt: "2026-03-10T13:00:00.000Z" });
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

describe("proposals: corrections sent with feedback", () => {
  it("a correction is an open proposal with the served question and answer; a bare rating is not", () => {
    store.recordServed(served("q1", { outcome: "refused", answer: "I could not find this.", collections: ["manuals"], keyName: "bot" }));
    store.recordServed(served("q2", { collections: ["secret"] }));
    store.recordFeedback({ answerId: "q1", rating: "down", createdAt: "2026-03-10T12:01:00.000Z" });
    store.recordFeedback({ answerId: "q1", rating: "down", correctedAnswer: "Hold OK and Back.", keyName: "bot", createdAt: "2026-03-10T12:02:00.000Z" });
    store.recordFeedback({ answerId: "q2", rating: "down", correctedAnswer: "Secret fix.", createdAt: "2026-03-10T12:03:00.000Z" });
    const all = store.proposals({ limit: 10, offset: 0 });
    expect(all.total).toBe(2);
    expect(all.items[1]).toEqual({
      id: expect.any(Number), answerId: "q1", question: "question q1", answer: "I could not find this.", correctedAnswer: "Hold OK and Back.",
      proposedBy: "bot", collections: ["manuals"], state: "open", createdAt: "2026-03-10T12:02:00.000Z",
    });
    // A manuals-limited viewer sees only proposals for questions served within manuals.
    const mine = store.proposals({ limit: 10, offset: 0, collections: ["manuals"] });
    expect(mine.items.map((p) => p.answerId)).toEqual(["q1"]);
    const secret = all.items[0]!;
    expect(store.proposal(secret.id, { collections: ["manuals"] })).toBeUndefined();
    expect(store.reviewProposal(secret.id, { state: "dismissed", by: "curM", at: "2026-03-11T00:00:00.000Z" }, { collections: ["manuals"] })).toBe(false);
  });

  it("is reviewed once: accepted or dismissed atomically, then listed by state", () => {
    store.recordServed(served("q1"));
    store.recordFeedback({ answerId: "q1", rating: "down", correctedAnswer: "A.", createdAt: "2026-03-10T12:02:00.000Z" });
    const [p] = store.proposals({ state: "open", limit: 10, offset: 0 }).items;
    expect(store.reviewProposal(p!.id, { state: "accepted", by: "curM", at: "2026-03-11T00:00:00.000Z", curatedId: "curated-1" })).toBe(true);
    expect(store.reviewProposal(p!.id, { state: "dismissed", by: "ops", at: "2026-03-11T00:00:01.000Z" })).toBe(false);
    expect(store.proposal(p!.id)).toMatchObject({ state: "accepted", reviewedBy: "curM", reviewedAt: "2026-03-11T00:00:00.000Z", curatedId: "curated-1" });
    expect(store.proposals({ state: "open", limit: 10, offset: 0 }).total).toBe(0);
    expect(store.proposals({ state: "accepted", limit: 10, offset: 0 }).total).toBe(1);
  });

  it("corrections recorded before proposals existed become open proposals when the database is migrated", () => {
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
    expect(store.proposals({ limit: 10, offset: 0 }).items).toEqual([
      { id: 1, answerId: "old", question: "old question", correctedAnswer: "Old fix.", proposedBy: "bot", state: "open", createdAt: "2026-01-01T00:01:00.000Z" },
    ]);
  });
});
