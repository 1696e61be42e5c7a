import type pg from "pg";
import type { ChunkFilter, ScriptFamily } from "../domain/chunk.js";
import type { KeywordHit, KeywordIndex, KeywordStats } from "../ports/keyword-index.js";
import { pgChunkFilter } from "./pg-queries.js";
import { inTransaction } from "./pg-schema.js";
import { scriptFamilySql } from "./script-family-sql.js";

/** FTS5's bm25() constants and IDF floor, which the port's contract fixes. */
const K1 = 1.2;
const B = 0.75;
const IDF_FLOOR = 1e-6;
/** Postings the first round reads by default: the rarest terms whose chunk frequencies add up to this (at least one term). */
const POSTINGS_BUDGET = 8000;

/** BM25 field weights (title/section path, body). */
export interface PgBm25Weights { title: number; body: number }

/** Statistics of the collections in scope ($2: NULL = every collection) and each term's chunk frequency in them. */
const STATS = `WITH scope AS (SELECT coalesce(sum(chunks), 0)::float8 AS n, coalesce(sum(tokens), 0)::float8 AS tokens
    FROM collection_stats WHERE $2::text[] IS NULL OR collection = ANY($2::text[]))
  SELECT s.n, s.tokens, t.term,
    (SELECT coalesce(sum(ts.df), 0) FROM term_stats ts WHERE ts.term = t.term AND ($2::text[] IS NULL OR ts.collection = ANY($2::text[])))::int AS df
  FROM scope s LEFT JOIN unnest($1::text[]) AS t (term) ON true`;

/**
 * The chunk count, token total and each term's chunk frequency over the chunks of one script family (or without a language) in the
 * collections in scope ($2: NULL = every collection): counted from `chunks` and `postings`, since `collection_stats`
 * and `term_stats` do not split collections by language.
 */
function familyStatsSql(family: ScriptFamily): string {
  const inFamily = scriptFamilySql("c.language", family);
  return `SELECT s.n, s.tokens, t.term,
    (SELECT count(*) FROM postings p JOIN chunks c ON c.label = p.label
      WHERE p.term = t.term AND ($2::text[] IS NULL OR p.collection = ANY($2::text[])) AND ${inFamily})::int AS df
  FROM (SELECT count(*)::float8 AS n, coalesce(sum(c.length), 0)::float8 AS tokens FROM chunks c WHERE ($2::text[] IS NULL OR c.collection = ANY($2::text[])) AND ${inFamily}) s
  LEFT JOIN unnest($1::text[]) AS t (term) ON true`;
}

interface ScopeStats { n: number; tokens: number; df: Map<string, number> }

/** One term's BM25 contribution: $1 terms, $2 their IDFs, $3/$4 field weights, $5 avgdl. */
const SCORE = `sum(i.idf * w.f * ${K1 + 1}::float8 / (w.f + ${K1}::float8 * (${1 - B}::float8 + ${B}::float8 * p.length / $5::float8)))::float8`;
const TERMS = "JOIN unnest($1::text[], $2::float8[]) AS i (term, idf) ON i.term = p.term CROSS JOIN LATERAL (SELECT $3::float8 * p.title_tf + $4::float8 * p.body_tf AS f) w";

/** Query-wide values of one search. */
interface Query {
  terms: string[];
  idf: Map<string, number>;
  k: number;
  avgdl: number;
  scope: string[] | null;
  filter: ChunkFilter | undefined;
}

/**
 * The keyword index of the PostgreSQL store: BM25 with FTS5's formula over `postings` (term frequencies per field
 * per chunk, lengths denormalised, all in the primary key: index-only reads). N and the average length come from
 * `collection_stats` of the collections the filter covers, and each term's chunk frequency from `term_stats`, so
 * one collection's documents never shift another's ranking; the other filter fields only restrict hits. Statistics
 * and scoring run in one REPEATABLE READ transaction, so they agree whatever commits meanwhile.
 *
 * Exact top k without reading every posting of common terms (MaxScore): a term adds less than IDF·(k1+1) to any
 * score. The rarest terms (postings within a budget) are "essential": only chunks holding one of them are
 * candidates, partially scored from those postings. The best candidates are completed with the other terms' postings
 * (point reads of the primary key), giving a k-th score θ. A chunk holding no essential term scores below the other
 * terms' bound sum, an unfinished candidate below its partial score plus that sum: when both are ≤ θ the top k is
 * exact. Otherwise the essential set grows to what θ proves necessary, or unfinished candidates are completed.
 */
export class PgKeywordIndex implements KeywordIndex {
  /** `postingsBudget`: the first round's essential postings (any value gives the same, exact, results; tests use tiny ones). */
  constructor(private readonly pool: pg.Pool, private readonly weights: PgBm25Weights = { title: 2, body: 1 }, private readonly postingsBudget = POSTINGS_BUDGET) {}

  async search(terms: readonly string[], k: number, filter?: ChunkFilter): Promise<KeywordHit[]> {
    const unique = [...new Set(terms.filter((t) => t.length > 0))];
    if (unique.length === 0 || k <= 0) return [];
    const scope = scopeOf(filter?.collections);
    return this.snapshot(async (client) => {
      const stats = await scopeStats(client, unique, scope, filter?.scriptFamily);
      const live = unique.filter((t) => (stats.df.get(t) ?? 0) > 0).sort((a, b) => stats.df.get(a)! - stats.df.get(b)! || (a < b ? -1 : 1));
      if (live.length === 0 || stats.n === 0) return [];
      const idf = new Map(live.map((t) => [t, idfOf(stats.n, stats.df.get(t)!)]));
      const q: Query = { terms: live, idf, k: Math.floor(k), avgdl: stats.tokens / stats.n, scope, filter };
      const top = await this.maxScore(client, q, essentialCount(live, stats.df, this.postingsBudget));
      if (top.length === 0) return [];
      const { rows } = await client.query<{ label: string; id: string }>("SELECT label, id FROM chunks WHERE label = ANY($1::bigint[])", [top.map((h) => h.label)]);
      const ids = new Map(rows.map((r) => [r.label, r.id]));
      return top.map((h) => ({ chunkId: ids.get(h.label)!, score: h.score }))
        .sort((a, b) => b.score - a.score || (a.chunkId < b.chunkId ? -1 : a.chunkId > b.chunkId ? 1 : 0));
    });
  }

  async stats(terms: readonly string[], collections?: readonly string[], family?: ScriptFamily): Promise<KeywordStats> {
    const unique = [...new Set(terms)];
    const read = async (f?: ScriptFamily): Promise<{ chunks: number; df: Map<string, number> }> => {
      const stats = await scopeStats(this.pool, unique, scopeOf(collections), f);
      return { chunks: stats.n, df: new Map(unique.map((term) => [term, stats.df.get(term) ?? 0])) };
    };
    if (!family) return read();
    const [own, all] = await Promise.all([read(family), read()]);
    return { ...own, all };
  }

  /** The exact top k (labels and scores, unordered ties) with the first `cut` terms essential. */
  private async maxScore(client: pg.PoolClient, q: Query, cut: number): Promise<Array<{ label: string; score: number }>> {
    const done = new Map<string, number>();
    const theta = (): number => kth([...done.values()], q.k);
    for (;;) {
      const essential = q.terms.slice(0, cut);
      const rest = q.terms.slice(cut);
      const restBound = rest.reduce((s, t) => s + q.idf.get(t)! * (K1 + 1), 0);
      const partial = await this.partialScores(client, q, essential);
      const open = partial.filter((c) => !done.has(c.label));
      // Complete the best few candidates first (θ), then only those θ cannot rule out, unless they are so many that
      // a larger essential set (what θ proves necessary) is cheaper.
      const first = 2 * q.k + 10;
      let batch = open.slice(0, first);
      let grow = false;
      while (batch.length > 0) {
        const more = await this.restScores(client, q, rest, batch.map((c) => c.label));
        for (const c of batch) done.set(c.label, c.score + (more.get(c.label) ?? 0));
        const t = theta();
        batch = open.filter((c) => !done.has(c.label) && c.score + restBound > t);
        if (batch.length > 4 * first && restBound > t) { grow = true; break; }
      }
      // Chunks without an essential term score below restBound: exact once θ reaches it (always when rest is empty).
      const t = theta();
      if (!grow && (rest.length === 0 || (done.size >= q.k && restBound <= t))) break;
      cut = Math.max(cut + 1, necessaryCut(q, t));
    }
    return [...done].map(([label, score]) => ({ label, score })).sort((a, b) => b.score - a.score).slice(0, q.k);
  }

  /** Every chunk (in scope and filter) holding an essential term, scored with those terms only, best first. */
  private async partialScores(client: pg.PoolClient, q: Query, essential: string[]): Promise<Array<{ label: string; score: number }>> {
    const { clauses, params } = pgChunkFilter(q.filter, "c", 7);
    const join = clauses.length > 0 ? "JOIN chunks c ON c.label = p.label" : "";
    const { rows } = await client.query<{ label: string; score: number }>(`SELECT p.label, ${SCORE} AS score FROM postings p ${TERMS} ${join}
      WHERE p.term = ANY($1::text[]) AND ($6::text[] IS NULL OR p.collection = ANY($6::text[]))${clauses.map((c) => ` AND ${c}`).join("")}
      GROUP BY p.label ORDER BY score DESC`,
    [essential, essential.map((t) => q.idf.get(t)!), this.weights.title, this.weights.body, q.avgdl, q.scope, ...params]);
    return rows;
  }

  /** The other terms' contributions to some candidates (point reads of the postings key). */
  private async restScores(client: pg.PoolClient, q: Query, rest: string[], labels: string[]): Promise<Map<string, number>> {
    if (rest.length === 0 || labels.length === 0) return new Map();
    // LATERAL: one primary-key probe per (candidate, term); a join lets the planner read the terms' whole postings.
    const { rows } = await client.query<{ label: string; score: number }>(`SELECT p.label, ${SCORE} AS score
      FROM (SELECT c.label, c.collection FROM chunks c WHERE c.label = ANY($6::bigint[])) AS cand
      CROSS JOIN unnest($1::text[], $2::float8[]) AS i (term, idf)
      CROSS JOIN LATERAL (SELECT x.label, x.title_tf, x.body_tf, x.length FROM postings x
        WHERE x.term = i.term AND x.collection = cand.collection AND x.label = cand.label) AS p
      CROSS JOIN LATERAL (SELECT $3::float8 * p.title_tf + $4::float8 * p.body_tf AS f) w
      GROUP BY p.label`, [rest, rest.map((t) => q.idf.get(t)!), this.weights.title, this.weights.body, q.avgdl, labels]);
    return new Map(rows.map((r) => [r.label, r.score]));
  }

  private async snapshot<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    // Statistics and scores from one snapshot, so a concurrent write never mixes two states into one ranking.
    return inTransaction(this.pool, fn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  }
}

/** How many of the terms (rarest first) the first round takes: those within the postings budget, at least one. */
function essentialCount(terms: readonly string[], df: ReadonlyMap<string, number>, budget: number): number {
  let sum = 0;
  let n = 0;
  for (const t of terms) {
    sum += df.get(t)!;
    if (n > 0 && sum > budget) break;
    n++;
  }
  return n;
}

/** The fewest leading terms that must be essential for the others' bound sum to be ≤ θ. */
function necessaryCut(q: Query, theta: number): number {
  let bound = 0;
  for (let i = q.terms.length - 1; i >= 0; i--) {
    bound += q.idf.get(q.terms[i]!)! * (K1 + 1);
    if (bound > theta) return i + 1;
  }
  return 0;
}

/** The k-th largest score (0 when there are fewer). */
function kth(scores: number[], k: number): number {
  if (scores.length < k) return 0;
  return scores.sort((a, b) => b - a)[k - 1]!;
}

async function scopeStats(db: pg.Pool | pg.PoolClient, terms: string[], scope: string[] | null, family?: ScriptFamily): Promise<ScopeStats> {
  const sql = family ? familyStatsSql(family) : STATS;
  const { rows } = await db.query<{ n: number; tokens: number; term: string | null; df: number | null }>(sql, [terms, scope]);
  return { n: rows[0]?.n ?? 0, tokens: rows[0]?.tokens ?? 0, df: new Map(rows.map((r) => [r.term ?? "", r.df ?? 0])) };
}

/** FTS5's IDF, floored at IDF_FLOOR. */
function idfOf(n: number, df: number): number {
  const raw = Math.log((n - df + 0.5) / (df + 0.5));
  return raw > 0 ? raw : IDF_FLOOR;
}

/** The collections that scope statistics, or null for every collection (an empty list constrains nothing). */
function scopeOf(collections: readonly string[] | undefined): string[] | null {
  return collections && collections.length > 0 ? [...collections] : null;
}
