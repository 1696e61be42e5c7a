import type pg from "pg";
import type {
  AnalyticsStore, FeedbackRecord, FeedbackScope, GapCandidate, Proposal, ProposalReview, ProposalState, ServedKind, ServedOutcome, ServedRecord,
  ServedSummary, TimeRange, ViewScope,
} from "../ports/analytics-store.js";
import { inTransaction } from "./pg-schema.js";
import { PROPOSAL_COLUMNS, proposalRowToProposal, type ProposalRow } from "./state-rows.js";

/**
 * Visibility of a served row `s` to a viewer whose collections are `$1` (text[], NULL for an unlimited viewer): the
 * viewer is unlimited, or the row was served within collections that are all the viewer's (as in the SQLite store).
 */
const VISIBLE = "($1::text[] IS NULL OR (s.collections IS NOT NULL AND s.collections <@ $1::text[]))";
/** Range of `s.created_at`: `$2` ≤ created_at < `$3` (ISO 8601 text compares as time). */
const IN_RANGE = "s.created_at >= $2 AND s.created_at < $3";

const OUTCOMES: readonly ServedOutcome[] = ["answered", "refused", "escalated", "degraded"];
const KINDS: readonly ServedKind[] = ["answer", "suggestion"];
/** Beyond any real timestamp, so an open range end needs no separate SQL. */
const MIN_TIME = "0000";
const MAX_TIME = "9999";

const zeroOutcomes = (): Record<ServedOutcome, number> => Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<ServedOutcome, number>;

/** The analytics log in PostgreSQL (`served`, `served_citations`, `feedback`): every machine records into it. */
export class PgAnalyticsStore implements AnalyticsStore {
  constructor(private readonly pool: pg.Pool) {}

  async recordServed(r: ServedRecord): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      // An upsert, not delete + insert: a delete would cascade to the record's feedback.
      await client.query(`INSERT INTO served (id, kind, question, outcome, confidence, language, key_name, created_at, collections, answer)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
        ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, question = excluded.question, outcome = excluded.outcome,
        confidence = excluded.confidence, language = excluded.language, key_name = excluded.key_name, created_at = excluded.created_at,
        collections = excluded.collections, answer = excluded.answer`,
      [r.id, r.kind, r.question, r.outcome, r.confidence, r.language ?? null, r.keyName ?? null, r.createdAt,
        r.collections ? [...new Set(r.collections)] : null, r.answer ?? null]);
      await client.query("DELETE FROM served_citations WHERE served_id = $1", [r.id]);
      const cited = [...new Set(r.citedDocumentIds)];
      if (cited.length > 0) {
        await client.query("INSERT INTO served_citations (served_id, document_id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING", [r.id, cited]);
      }
    });
  }

  async recordFeedback(f: FeedbackRecord, scope?: FeedbackScope): Promise<boolean> {
    const servedTo = scope?.servedTo ?? null;
    const replace = scope?.replaceOwn === true && f.keyName !== undefined;
    // One transaction: the visibility check, the replacement of the key's earlier rating and the insert cannot be
    // separated by a concurrent change. `servedTo` (a widget key) limits ratings to answers served to that key.
    return inTransaction(this.pool, async (client) => {
      // A correction enters the review queue as an open proposal; a bare rating is not one.
      const { rows } = await client.query<{ id: string }>(`INSERT INTO feedback (answer_id, rating, comment, corrected_answer, key_name, created_at, review_state)
        SELECT s.id, $3, $4, $5::text, $6, $7, CASE WHEN $5::text IS NULL THEN NULL ELSE 'open' END
        FROM served s WHERE s.id = $2 AND ${VISIBLE} AND ($8::text IS NULL OR s.key_name = $8)
        RETURNING id`,
      [viewer(scope), f.answerId, f.rating, f.comment ?? null, f.correctedAnswer ?? null, f.keyName ?? null, f.createdAt, servedTo]);
      const stored = rows[0];
      if (stored !== undefined && replace) {
        await client.query("DELETE FROM feedback WHERE answer_id = $1 AND key_name = $2 AND id <> $3", [f.answerId, f.keyName, stored.id]);
      }
      return stored !== undefined;
    });
  }

  async summary(range: TimeRange, topCited = 10, scope?: ViewScope): Promise<ServedSummary> {
    const params = [viewer(scope), ...bounds(range)];
    const byOutcome = zeroOutcomes();
    const byKind = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<ServedKind, number>;
    const { rows } = await this.pool.query<{ kind: ServedKind; outcome: ServedOutcome; n: number }>(
      `SELECT kind, outcome, count(*)::int AS n FROM served s WHERE ${IN_RANGE} AND ${VISIBLE} GROUP BY kind, outcome`, params);
    let total = 0;
    for (const r of rows) {
      byOutcome[r.outcome] += r.n;
      byKind[r.kind] += r.n;
      total += r.n;
    }
    const { rows: fb } = await this.pool.query<{ up: number; down: number; rated: number }>(`SELECT count(*) FILTER (WHERE f.rating = 'up')::int AS up,
      count(*) FILTER (WHERE f.rating = 'down')::int AS down, count(DISTINCT f.answer_id)::int AS rated
      FROM feedback f JOIN served s ON s.id = f.answer_id WHERE ${IN_RANGE} AND ${VISIBLE}`, params);
    const { rows: cited } = await this.pool.query<{ documentId: string; count: number }>(`SELECT c.document_id AS "documentId", count(*)::int AS count
      FROM served_citations c JOIN served s ON s.id = c.served_id WHERE ${IN_RANGE} AND ${VISIBLE}
      GROUP BY c.document_id ORDER BY count DESC, c.document_id LIMIT $4`, [...params, topCited]);
    const feedback = fb[0] ?? { up: 0, down: 0, rated: 0 };
    return { total, byOutcome, byKind, feedback, topCited: cited, byDay: await this.byDay(params) };
  }

  /** Timestamps are ISO 8601 UTC, so their first 10 characters are the UTC day. */
  private async byDay(params: unknown[]): Promise<ServedSummary["byDay"]> {
    const { rows } = await this.pool.query<{ day: string; outcome: ServedOutcome; n: number }>(`SELECT substr(created_at, 1, 10) AS day, outcome,
      count(*)::int AS n FROM served s WHERE ${IN_RANGE} AND ${VISIBLE} GROUP BY day, outcome ORDER BY day`, params);
    const days = new Map<string, Record<ServedOutcome, number>>();
    for (const r of rows) {
      const outcomes = days.get(r.day) ?? zeroOutcomes();
      outcomes[r.outcome] += r.n;
      days.set(r.day, outcomes);
    }
    return [...days].map(([day, outcomes]) => ({ day, outcomes }));
  }

  async gapCandidates(range: TimeRange, options: { lowConfidence: number; limit: number } & ViewScope): Promise<GapCandidate[]> {
    const { rows } = await this.pool.query<GapCandidate & { collections: string[] | null }>(`SELECT s.id, s.question, s.outcome, s.confidence,
        s.created_at AS "createdAt", s.collections,
        (SELECT count(*)::int FROM feedback f WHERE f.answer_id = s.id AND f.rating = 'down') AS "downVotes"
      FROM served s WHERE ${IN_RANGE} AND ${VISIBLE}
        AND (s.outcome = 'refused' OR s.confidence < $4 OR EXISTS (SELECT 1 FROM feedback f WHERE f.answer_id = s.id AND f.rating = 'down'))
      ORDER BY s.created_at DESC LIMIT $5`, [viewer(options), ...bounds(range), options.lowConfidence, options.limit]);
    return rows.map(({ collections, ...c }) => (collections === null ? c : { ...c, collections }));
  }

  async proposals(options: { state?: ProposalState; limit: number; offset: number } & ViewScope): Promise<{ items: Proposal[]; total: number }> {
    const where = "AND ($2::text IS NULL OR f.review_state = $2)";
    const params = [viewer(options), options.state ?? null];
    const { rows: count } = await this.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${PROPOSALS} ${where}) p`, params);
    const { rows } = await this.pool.query<ProposalRow>(`${PROPOSALS} ${where} ORDER BY f.created_at COLLATE "C" DESC, f.id DESC LIMIT $3 OFFSET $4`,
      [...params, options.limit, options.offset]);
    return { items: rows.map(proposalRowToProposal), total: count[0]?.n ?? 0 };
  }

  async proposal(id: number, scope?: ViewScope): Promise<Proposal | undefined> {
    const { rows } = await this.pool.query<ProposalRow>(`${PROPOSALS} AND f.id = $2`, [viewer(scope), id]);
    return rows[0] ? proposalRowToProposal(rows[0]) : undefined;
  }

  /**
   * One UPDATE whose condition includes `review_state = 'open'`: a concurrent review waits for the row lock, finds the
   * row no longer open when it re-checks, and changes nothing.
   */
  async reviewProposal(id: number, review: ProposalReview, scope?: ViewScope): Promise<boolean> {
    const { rowCount } = await this.pool.query(`UPDATE feedback f SET review_state = $3, reviewed_by = $4, reviewed_at = $5, curated_id = $6
      FROM served s WHERE f.id = $2 AND s.id = f.answer_id AND f.review_state = 'open' AND ${VISIBLE}`,
    [viewer(scope), id, review.state, review.by, review.at, review.curatedId ?? null]);
    return rowCount === 1;
  }

  /** The pool belongs to the store that opened it. */
  close(): void {}
}

/** Proposals visible to the viewer `$1` (the feedback id is a bigint, which pg returns as text). */
const PROPOSALS = `SELECT f.id, ${PROPOSAL_COLUMNS} FROM feedback f JOIN served s ON s.id = f.answer_id
  WHERE f.review_state IS NOT NULL AND ${VISIBLE}`;

function viewer(scope: ViewScope | undefined): string[] | null {
  return scope?.collections ? [...scope.collections] : null;
}

function bounds(range: TimeRange): [string, string] {
  return [range.from ?? MIN_TIME, range.to ?? MAX_TIME];
}
