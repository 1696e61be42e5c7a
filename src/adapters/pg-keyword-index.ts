import type pg from "pg";
import type { ChunkFilter } from "../domain/chunk.js";
import type { KeywordHit, KeywordIndex, KeywordStats } from "../ports/keyword-index.js";
import { pgChunkFilter } from "./pg-queries.js";
import { inTransaction } from "./pg-schema.js";

/** FTS5's bm25() constants and IDF floor, which the port's contract fixes. */
const K1 = 1.2;
const B = 0.75;
const IDF_FLOOR = 1e-6;

/** BM25 field weights (title/section path, body). */
export interface PgBm25Weights { title: number; body: number }

/** Statistics of the collections in scope ($2: NULL = every collection) and each term's chunk frequency in them. */
const STATS = `WITH scope AS (SELECT coalesce(sum(chunks), 0)::float8 AS n, coalesce(sum(tokens), 0)::float8 AS tokens
    FROM collection_stats WHERE $2::text[] IS NULL OR collection = ANY($2::text[]))
  SELECT s.n, s.tokens, t.term,
    (SELECT count(*) FROM postings p WHERE p.term = t.term AND ($2::text[] IS NULL OR p.collection = ANY($2::text[])))::int AS df
  FROM scope s LEFT JOIN unnest($1::text[]) AS t (term) ON true`;

interface ScopeStats { n: number; tokens: number; df: Map<string, number> }

/** Parameters of the scoring statements: $1 terms, $2 their IDFs, $3 k, $4/$5 weights, $6 scope, $7 avgdl, then (candidates) $8 rare terms; filters last. */
const SCORE = (alias: string): string => `sum(i.idf * w.f * ${K1 + 1}::float8 / (w.f + ${K1}::float8 * (${1 - B}::float8 + ${B}::float8 * ${alias}.length / $7::float8)))`;
const WEIGHTED = "CROSS JOIN LATERAL (SELECT $4::float8 * p.title_tf + $5::float8 * p.body_tf AS f) w";
const IDFS = "unnest($1::text[], $2::float8[]) AS i (term, idf)";
const IN_SCOPE = "($6::text[] IS NULL OR p.collection = ANY($6::text[]))";
const KEYS = "SELECT c.id, sc.score::float8 AS score FROM scored sc JOIN chunks c ON c.label = sc.label ORDER BY sc.score DESC, c.id";

/**
 * The keyword index of the PostgreSQL store: BM25 with FTS5's formula over `postings` (term frequencies per field
 * per chunk, lengths denormalised). N and the average length come from `collection_stats` of the collections the
 * filter covers, and each term's chunk frequency is counted within them (an index range of the postings primary
 * key), so one collection's documents never shift another's ranking; the other filter fields only restrict hits.
 * Statistics and scoring run in one REPEATABLE READ transaction, so they agree whatever commits meanwhile.
 *
 * Common terms (IDF floored, in at least half the chunks) would make every query aggregate most postings, yet add at
 * most IDF_FLOOR·(k1+1) each to a score. So when a query has both kinds, candidates come from the rare terms' postings
 * only and are scored exactly with every term; that top k is returned when its k-th score beats the most a chunk
 * with only common terms can reach, and otherwise the full query runs. Either way the result is exact.
 */
export class PgKeywordIndex implements KeywordIndex {
  constructor(private readonly pool: pg.Pool, private readonly weights: PgBm25Weights = { title: 2, body: 1 }) {}

  async search(terms: readonly string[], k: number, filter?: ChunkFilter): Promise<KeywordHit[]> {
    const unique = [...new Set(terms.filter((t) => t.length > 0))];
    if (unique.length === 0 || k <= 0) return [];
    const scope = scopeOf(filter?.collections);
    return this.snapshot(async (client) => {
      const stats = await scopeStats(client, unique, scope);
      const live = unique.filter((t) => (stats.df.get(t) ?? 0) > 0);
      if (live.length === 0 || stats.n === 0) return [];
      const idf = new Map(live.map((t) => [t, idfOf(stats.n, stats.df.get(t)!)]));
      const rare = live.filter((t) => idf.get(t)! > IDF_FLOOR);
      const common = live.length - rare.length;
      const args = [live, live.map((t) => idf.get(t)!), Math.floor(k), this.weights.title, this.weights.body, scope, stats.tokens / stats.n];
      if (rare.length > 0 && common > 0) {
        const { clauses, params } = pgChunkFilter(filter, "c", 9);
        const hits = await client.query<{ id: string; score: number }>(candidateSql(clauses), [...args, rare, ...params]);
        const kth = hits.rows[Math.floor(k) - 1];
        if (kth && kth.score > common * IDF_FLOOR * (K1 + 1)) return hits.rows.map((r) => ({ chunkId: r.id, score: r.score }));
      }
      const { clauses, params } = pgChunkFilter(filter, "c", 8);
      const hits = await client.query<{ id: string; score: number }>(fullSql(clauses), [...args, ...params]);
      return hits.rows.map((r) => ({ chunkId: r.id, score: r.score }));
    });
  }

  async stats(terms: readonly string[], collections?: readonly string[]): Promise<KeywordStats> {
    const unique = [...new Set(terms)];
    const stats = await scopeStats(this.pool, unique, scopeOf(collections));
    const df = new Map<string, number>();
    for (const term of unique) df.set(term, stats.df.get(term) ?? 0);
    return { chunks: stats.n, df };
  }

  private async snapshot<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    // Statistics and scores from one snapshot, so a concurrent write never mixes two states into one ranking.
    return inTransaction(this.pool, fn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  }
}

async function scopeStats(db: pg.Pool | pg.PoolClient, terms: string[], scope: string[] | null): Promise<ScopeStats> {
  const { rows } = await db.query<{ n: number; tokens: number; term: string | null; df: number | null }>(STATS, [terms, scope]);
  return { n: rows[0]?.n ?? 0, tokens: rows[0]?.tokens ?? 0, df: new Map(rows.map((r) => [r.term ?? "", r.df ?? 0])) };
}

/** FTS5's IDF, floored at IDF_FLOOR. */
function idfOf(n: number, df: number): number {
  const raw = Math.log((n - df + 0.5) / (df + 0.5));
  return raw > 0 ? raw : IDF_FLOOR;
}

/** Every posting of every term in scope (and filter), summed per chunk: the exact top k. */
function fullSql(clauses: readonly string[]): string {
  const join = clauses.length > 0 ? "JOIN chunks c ON c.label = p.label" : "";
  return `WITH scored AS (
      SELECT p.label, ${SCORE("p")} AS score
      FROM postings p JOIN ${IDFS} ON i.term = p.term ${join} ${WEIGHTED}
      WHERE p.term = ANY($1::text[]) AND ${IN_SCOPE}${clauses.map((c) => ` AND ${c}`).join("")}
      GROUP BY p.label ORDER BY score DESC LIMIT $3)
    ${KEYS}`;
}

/** Chunks holding a rare term ($8), scored exactly with every term (common terms looked up for those chunks only). */
function candidateSql(clauses: readonly string[]): string {
  const join = clauses.length > 0 ? "JOIN chunks c ON c.label = p.label" : "";
  return `WITH cand AS (
      SELECT DISTINCT p.collection, p.label FROM postings p ${join}
      WHERE p.term = ANY($8::text[]) AND ${IN_SCOPE}${clauses.map((c) => ` AND ${c}`).join("")}),
    scored AS (
      SELECT p.label, ${SCORE("p")} AS score
      FROM cand JOIN postings p ON p.collection = cand.collection AND p.label = cand.label AND p.term = ANY($1::text[])
        JOIN ${IDFS} ON i.term = p.term ${WEIGHTED}
      GROUP BY p.label ORDER BY score DESC LIMIT $3)
    ${KEYS}`;
}

/** The collections that scope statistics, or null for every collection (an empty list constrains nothing). */
function scopeOf(collections: readonly string[] | undefined): string[] | null {
  return collections && collections.length > 0 ? [...collections] : null;
}
