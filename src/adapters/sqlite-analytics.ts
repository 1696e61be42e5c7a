import Database from "better-sqlite3";
import type {
  AnalyticsStore, FeedbackRecord, FeedbackScope, GapCandidate, Proposal, ProposalReview, ProposalState, ServedKind, ServedOutcome, ServedRecord,
  ServedSummary, TimeRange, ViewScope,
} from "../ports/analytics-store.js";
import { openMigratedSqlite } from "./sqlite-open.js";
import { PROPOSAL_COLUMNS, proposalRowToProposal, type ProposalRow } from "./state-rows.js";

type Db = Database.Database;

/** Migration N brings the schema from version N-1 to N. Never edit a shipped one. */
const MIGRATIONS: ReadonlyArray<(db: Db) => void> = [
  (db) => {
    db.exec(`
      CREATE TABLE served (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('answer', 'suggestion')),
        question TEXT NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('answered', 'refused', 'escalated', 'degraded')),
        confidence REAL NOT NULL,
        language TEXT,
        key_name TEXT,
        created_at TEXT NOT NULL
      );
      CREATE INDEX served_created ON served (created_at);
      CREATE TABLE served_citations (
        served_id TEXT NOT NULL REFERENCES served (id) ON DELETE CASCADE,
        document_id TEXT NOT NULL,
        PRIMARY KEY (served_id, document_id)
      );
      CREATE TABLE feedback (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        answer_id TEXT NOT NULL REFERENCES served (id) ON DELETE CASCADE,
        rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
        comment TEXT,
        corrected_answer TEXT,
        key_name TEXT,
        created_at TEXT NOT NULL
      );
      CREATE INDEX feedback_answer ON feedback (answer_id);
    `);
  },
  (db) => {
    // Collections each record was served within (JSON array; NULL: unrestricted, visible to unlimited viewers only).
    db.exec("ALTER TABLE served ADD COLUMN collections TEXT");
  },
  (db) => {
    // The served answer (redacted), shown beside a correction proposed for it; and each correction's review.
    db.exec(`
      ALTER TABLE served ADD COLUMN answer TEXT;
      ALTER TABLE feedback ADD COLUMN review_state TEXT CHECK (review_state IN ('open', 'accepted', 'dismissed'));
      ALTER TABLE feedback ADD COLUMN reviewed_by TEXT;
      ALTER TABLE feedback ADD COLUMN reviewed_at TEXT;
      ALTER TABLE feedback ADD COLUMN curated_id TEXT;
      UPDATE feedback SET review_state = 'open' WHERE corrected_answer IS NOT NULL;
      CREATE INDEX feedback_review ON feedback (review_state, created_at);
    `);
  },
];

const PROPOSALS = `SELECT f.id, ${PROPOSAL_COLUMNS} FROM feedback f JOIN served s ON s.id = f.answer_id WHERE f.review_state IS NOT NULL`;

/** SQLite keeps the collections as a JSON array. */
const toProposal = (r: Omit<ProposalRow, "collections"> & { collections: string | null }): Proposal =>
  proposalRowToProposal({ ...r, collections: r.collections === null ? null : (JSON.parse(r.collections) as string[]) });

/**
 * Visibility of a served row `s` to a viewer: with `?` = JSON array of the viewer's collections (or NULL for an
 * unlimited viewer), a row is visible when the viewer is unlimited, or the row was served within collections that
 * are all the viewer's. Takes the parameter twice.
 */
const VISIBLE = `(? IS NULL OR (s.collections IS NOT NULL AND NOT EXISTS (SELECT 1 FROM json_each(s.collections) j
  WHERE j.value NOT IN (SELECT value FROM json_each(?)))))`;

function scopeParam(scope: ViewScope | undefined): [string | null, string | null] {
  const v = scope?.collections ? JSON.stringify(scope.collections) : null;
  return [v, v];
}

const OUTCOMES: readonly ServedOutcome[] = ["answered", "refused", "escalated", "degraded"];
const KINDS: readonly ServedKind[] = ["answer", "suggestion"];
/** Beyond any real timestamp, so an open range end needs no separate SQL. */
const MIN_TIME = "0000";
const MAX_TIME = "9999";

/** The analytics log in its own SQLite file (WAL, secure delete), next to the document store in DATA_DIR. */
export class SqliteAnalyticsStore implements AnalyticsStore {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly db: Db) {}

  async recordServed(r: ServedRecord): Promise<void> {
    this.db.transaction(() => {
      // An upsert, not INSERT OR REPLACE: a replace would delete the row and cascade to its feedback.
      this.stmt(`INSERT INTO served (id, kind, question, outcome, confidence, language, key_name, created_at, collections, answer)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, question = excluded.question, outcome = excluded.outcome,
        confidence = excluded.confidence, language = excluded.language, key_name = excluded.key_name, created_at = excluded.created_at,
        collections = excluded.collections, answer = excluded.answer`)
        .run(r.id, r.kind, r.question, r.outcome, r.confidence, r.language ?? null, r.keyName ?? null, r.createdAt,
          r.collections ? JSON.stringify([...new Set(r.collections)]) : null, r.answer ?? null);
      this.stmt("DELETE FROM served_citations WHERE served_id = ?").run(r.id);
      const cite = this.stmt("INSERT OR IGNORE INTO served_citations (served_id, document_id) VALUES (?, ?)");
      for (const documentId of new Set(r.citedDocumentIds)) cite.run(r.id, documentId);
    })();
  }

  async recordFeedback(f: FeedbackRecord, scope?: FeedbackScope): Promise<boolean> {
    return this.db.transaction(() => {
      const servedTo = scope?.servedTo ?? null;
      if (this.stmt(`SELECT 1 FROM served s WHERE s.id = ? AND ${VISIBLE} AND (? IS NULL OR s.key_name = ?)`).get(f.answerId, ...scopeParam(scope), servedTo, servedTo) === undefined) return false;
      if (scope?.replaceOwn && f.keyName) this.stmt("DELETE FROM feedback WHERE answer_id = ? AND key_name = ?").run(f.answerId, f.keyName);
      // A correction enters the review queue as an open proposal; a bare rating is not one.
      this.stmt(`INSERT INTO feedback (answer_id, rating, comment, corrected_answer, key_name, created_at, review_state) VALUES (?, ?, ?, ?, ?, ?, ?)`)
        .run(f.answerId, f.rating, f.comment ?? null, f.correctedAnswer ?? null, f.keyName ?? null, f.createdAt, f.correctedAnswer !== undefined ? "open" : null);
      return true;
    }).immediate();
  }

  async summary(range: TimeRange, topCited = 10, scope?: ViewScope): Promise<ServedSummary> {
    const [from, to] = bounds(range);
    const visible = scopeParam(scope);
    const byOutcome = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<ServedOutcome, number>;
    const byKind = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<ServedKind, number>;
    const rows = this.stmt(`SELECT kind, outcome, count(*) AS n FROM served s WHERE created_at >= ? AND created_at < ? AND ${VISIBLE} GROUP BY kind, outcome`)
      .all(from, to, ...visible) as Array<{ kind: ServedKind; outcome: ServedOutcome; n: number }>;
    let total = 0;
    for (const r of rows) {
      byOutcome[r.outcome] += r.n;
      byKind[r.kind] += r.n;
      total += r.n;
    }
    const fb = this.stmt(`SELECT coalesce(sum(f.rating = 'up'), 0) AS up, coalesce(sum(f.rating = 'down'), 0) AS down,
      count(DISTINCT f.answer_id) AS rated FROM feedback f JOIN served s ON s.id = f.answer_id WHERE s.created_at >= ? AND s.created_at < ? AND ${VISIBLE}`)
      .get(from, to, ...visible) as { up: number; down: number; rated: number };
    const cited = this.stmt(`SELECT c.document_id AS documentId, count(*) AS count FROM served_citations c JOIN served s ON s.id = c.served_id
      WHERE s.created_at >= ? AND s.created_at < ? AND ${VISIBLE} GROUP BY c.document_id ORDER BY count DESC, c.document_id LIMIT ?`)
      .all(from, to, ...visible, topCited) as Array<{ documentId: string; count: number }>;
    return { total, byOutcome, byKind, feedback: { up: fb.up, down: fb.down, rated: fb.rated }, topCited: cited, byDay: this.byDay(from, to, visible) };
  }

  /** Timestamps are ISO 8601 UTC, so their first 10 characters are the UTC day. */
  private byDay(from: string, to: string, visible: unknown[]): ServedSummary["byDay"] {
    const rows = this.stmt(`SELECT substr(created_at, 1, 10) AS day, outcome, count(*) AS n FROM served s
      WHERE created_at >= ? AND created_at < ? AND ${VISIBLE} GROUP BY day, outcome ORDER BY day`)
      .all(from, to, ...visible) as Array<{ day: string; outcome: ServedOutcome; n: number }>;
    const days = new Map<string, Record<ServedOutcome, number>>();
    for (const r of rows) {
      const outcomes = days.get(r.day) ?? (Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<ServedOutcome, number>);
      outcomes[r.outcome] += r.n;
      days.set(r.day, outcomes);
    }
    return [...days].map(([day, outcomes]) => ({ day, outcomes }));
  }

  async gapCandidates(range: TimeRange, options: { lowConfidence: number; limit: number } & ViewScope): Promise<GapCandidate[]> {
    const [from, to] = bounds(range);
    const rows = this.stmt(`SELECT s.id, s.question, s.outcome, s.confidence, s.created_at AS createdAt, s.collections,
        (SELECT count(*) FROM feedback f WHERE f.answer_id = s.id AND f.rating = 'down') AS downVotes
      FROM served s WHERE s.created_at >= ? AND s.created_at < ? AND ${VISIBLE}
        AND (s.outcome = 'refused' OR s.confidence < ? OR EXISTS (SELECT 1 FROM feedback f WHERE f.answer_id = s.id AND f.rating = 'down'))
      ORDER BY s.created_at DESC LIMIT ?`).all(from, to, ...scopeParam(options), options.lowConfidence, options.limit) as Array<GapCandidate & { collections: string | null }>;
    return rows.map(({ collections, ...c }) => (collections === null ? c : { ...c, collections: JSON.parse(collections) as string[] }));
  }

  async proposals(options: { state?: ProposalState; limit: number; offset: number } & ViewScope): Promise<{ items: Proposal[]; total: number }> {
    const where = `${options.state ? " AND f.review_state = ?" : ""} AND ${VISIBLE}`;
    const params = [...(options.state ? [options.state] : []), ...scopeParam(options)];
    const total = (this.stmt(`SELECT count(*) AS n FROM (${PROPOSALS}${where})`).get(...params) as { n: number }).n;
    const rows = this.stmt(`${PROPOSALS}${where} ORDER BY f.created_at DESC, f.id DESC LIMIT ? OFFSET ?`).all(...params, options.limit, options.offset) as Array<Parameters<typeof toProposal>[0]>;
    return { items: rows.map(toProposal), total };
  }

  async proposal(id: number, scope?: ViewScope): Promise<Proposal | undefined> {
    return this.proposalNow(id, scope);
  }

  private proposalNow(id: number, scope?: ViewScope): Proposal | undefined {
    const row = this.stmt(`${PROPOSALS} AND f.id = ? AND ${VISIBLE}`).get(id, ...scopeParam(scope)) as Parameters<typeof toProposal>[0] | undefined;
    return row ? toProposal(row) : undefined;
  }

  async reviewProposal(id: number, review: ProposalReview, scope?: ViewScope): Promise<boolean> {
    return this.db.transaction(() => {
      if (this.proposalNow(id, scope)?.state !== "open") return false;
      return this.stmt("UPDATE feedback SET review_state = ?, reviewed_by = ?, reviewed_at = ?, curated_id = ? WHERE id = ? AND review_state = 'open'")
        .run(review.state, review.by, review.at, review.curatedId ?? null, id).changes === 1;
    }).immediate();
  }

  close(): void {
    this.db.close();
  }

  private stmt(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }
}

function bounds(range: TimeRange): [string, string] {
  return [range.from ?? MIN_TIME, range.to ?? MAX_TIME];
}

/** Opens (creating and migrating) the analytics database at `file`. */
export function openSqliteAnalytics(file: string): SqliteAnalyticsStore {
  return openMigratedSqlite(file, MIGRATIONS, (db) => new SqliteAnalyticsStore(db), { foreignKeys: true });
}
