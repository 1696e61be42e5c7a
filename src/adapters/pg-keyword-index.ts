import type pg from "pg";
import type { ChunkFilter } from "../domain/chunk.js";
import type { KeywordHit, KeywordIndex, KeywordStats } from "../ports/keyword-index.js";
import { pgChunkFilter } from "./pg-queries.js";

/** FTS5's bm25() constants, which the port's contract fixes. */
const K1 = 1.2;
const B = 0.75;

/** BM25 field weights (title/section path, body). */
export interface PgBm25Weights { title: number; body: number }

/** The statistics of the collections in scope ($2: NULL = every collection). */
const SCOPE = `SELECT coalesce(sum(chunks), 0)::float8 AS n, coalesce(sum(tokens), 0)::float8 AS tokens
  FROM collection_stats WHERE $2::text[] IS NULL OR collection = ANY($2::text[])`;
const IN_SCOPE = "($2::text[] IS NULL OR p.collection = ANY($2::text[]))";

/**
 * The keyword index of the PostgreSQL store: BM25 with FTS5's formula computed in one SQL statement over `postings`
 * (term frequencies per field per chunk). N and the average length come from `collection_stats` of the collections
 * the filter covers, and each term's chunk frequency is counted within them (an index range of the postings primary
 * key), so one collection's documents never shift another's ranking. The other filter fields only restrict hits.
 * Scoring reads only postings (lengths are denormalised there); chunk rows are joined for the other filter fields
 * and for the keys of the top k. One statement means one snapshot: statistics and hits always agree, whatever commits meanwhile.
 */
export class PgKeywordIndex implements KeywordIndex {
  constructor(private readonly pool: pg.Pool, private readonly weights: PgBm25Weights = { title: 2, body: 1 }) {}

  async search(terms: readonly string[], k: number, filter?: ChunkFilter): Promise<KeywordHit[]> {
    const unique = [...new Set(terms.filter((t) => t.length > 0))];
    if (unique.length === 0 || k <= 0) return [];
    const { clauses, params } = pgChunkFilter(filter, "c", 6);
    const where = clauses.map((c) => ` AND ${c}`).join("");
    const sql = `WITH scope AS (${SCOPE}),
      df AS (
        SELECT p.term, count(*)::float8 AS df FROM postings p WHERE p.term = ANY($1::text[]) AND ${IN_SCOPE} GROUP BY p.term
      ),
      idf AS (
        SELECT df.term, CASE WHEN ln((s.n - df.df + 0.5) / (df.df + 0.5)) > 0 THEN ln((s.n - df.df + 0.5) / (df.df + 0.5)) ELSE 1e-6 END AS idf
        FROM df CROSS JOIN scope s
      ),
      scored AS (
        SELECT p.label, sum(i.idf * w.f * ${K1 + 1}::float8 / (w.f + ${K1}::float8 * (${1 - B}::float8 + ${B}::float8 * p.length / (s.tokens / s.n)))) AS score
        FROM postings p JOIN idf i ON i.term = p.term CROSS JOIN scope s
          CROSS JOIN LATERAL (SELECT $4::float8 * p.title_tf + $5::float8 * p.body_tf AS f) w
          ${clauses.length > 0 ? "JOIN chunks c ON c.label = p.label" : ""}
        WHERE p.term = ANY($1::text[]) AND ${IN_SCOPE}${where}
        GROUP BY p.label ORDER BY score DESC LIMIT $3
      )
      SELECT c.id, sc.score::float8 AS score FROM scored sc JOIN chunks c ON c.label = sc.label ORDER BY sc.score DESC, c.id`;
    const { rows } = await this.pool.query<{ id: string; score: number }>(sql,
      [unique, scopeOf(filter?.collections), Math.floor(k), this.weights.title, this.weights.body, ...params]);
    return rows.map((r) => ({ chunkId: r.id, score: r.score }));
  }

  async stats(terms: readonly string[], collections?: readonly string[]): Promise<KeywordStats> {
    const unique = [...new Set(terms)];
    const { rows } = await this.pool.query<{ n: number; term: string | null; df: number | null }>(`WITH scope AS (${SCOPE})
      SELECT s.n, t.term, (SELECT count(*) FROM postings p WHERE p.term = t.term AND ${IN_SCOPE})::int AS df
      FROM scope s LEFT JOIN unnest($1::text[]) AS t (term) ON true`, [unique, scopeOf(collections)]);
    const df = new Map<string, number>();
    const byTerm = new Map(rows.map((r) => [r.term, r.df ?? 0]));
    for (const term of unique) df.set(term, byTerm.get(term) ?? 0);
    return { chunks: rows[0]?.n ?? 0, df };
  }
}

/** The collections that scope statistics, or null for every collection (an empty list constrains nothing). */
function scopeOf(collections: readonly string[] | undefined): string[] | null {
  return collections && collections.length > 0 ? [...collections] : null;
}
