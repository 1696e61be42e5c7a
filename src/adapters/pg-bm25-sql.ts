import type { ChunkFilter, ScriptFamily } from "../domain/chunk.js";
import { pgChunkFilter } from "./pg-queries.js";
import { scriptFamilySql } from "./script-family-sql.js";

// The statements of PgKeywordIndex (pg-keyword-index.ts): scope statistics, and one MaxScore round.

/** FTS5's bm25() constants, which the port's contract fixes. */
export const K1 = 1.2;
export const B = 0.75;

/** True for a row of a collection in scope (`param`: NULL = every collection). */
const inScope = (column: string, param: string): string => `(${param}::text[] IS NULL OR ${column} = ANY(${param}::text[]))`;

/** A term's chunk frequency over the collections in scope, from `term_stats`. */
const termDf = (term: string, scope: string): string =>
  `(SELECT coalesce(sum(ts.df), 0) FROM term_stats ts WHERE ts.term = ${term} AND ${inScope("ts.collection", scope)})::int`;

/**
 * Statistics of the collections in scope ($2: NULL = every collection) and each term's ($1) chunk frequency in them,
 * one row per term. With `family`: also the chunks and tokens of the other family there (`other_n`, `other_tokens`,
 * from collection_stats, migration 5) and, only where the scope holds any (then the family's statistics are not the
 * scope's own), each term's chunk frequency among the family's chunks and those without a language (`family_df`,
 * counted from `postings`). A CASE branch not taken is not evaluated, so a single-family scope costs no count.
 */
export function statsSql(family?: ScriptFamily): string {
  const other = family === "cjk" ? "alphabetic" : "cjk";
  const otherColumns = family
    ? `coalesce(sum(${other}_chunks), 0)::float8 AS other_n, coalesce(sum(${other}_tokens), 0)::float8 AS other_tokens`
    : "0::float8 AS other_n, 0::float8 AS other_tokens";
  const familyDf = family
    ? `CASE WHEN s.other_n > 0 THEN (SELECT count(*) FROM postings p JOIN chunks c ON c.label = p.label
        WHERE p.term = t.term AND ${inScope("p.collection", "$2")} AND ${scriptFamilySql("c.language", family)})::int END`
    : "NULL::int";
  return `WITH scope AS (SELECT coalesce(sum(chunks), 0)::float8 AS n, coalesce(sum(tokens), 0)::float8 AS tokens, ${otherColumns}
      FROM collection_stats WHERE ${inScope("collection", "$2")})
    SELECT s.n, s.tokens, s.other_n, s.other_tokens, t.term, ${termDf("t.term", "$2")} AS df, ${familyDf} AS family_df
    FROM scope s LEFT JOIN unnest($1::text[]) AS t (term) ON true`;
}

/** Sum of the BM25 contributions of joined postings `p` with term IDF `i.idf` (field weights $wt/$wb, $avgdl). */
const SCORE = `sum(i.idf * w.f * ${K1 + 1}::float8 / (w.f + ${K1}::float8 * (${1 - B}::float8 + ${B}::float8 * p.length / $avgdl::float8)))::float8`;
const FIELDS = "CROSS JOIN LATERAL (SELECT $wt::float8 * p.title_tf + $wb::float8 * p.body_tf AS f) w";

/**
 * Every chunk in scope ($scope) passing the filter and holding an essential term ($terms, IDFs $idf), but those
 * completed already ($done), scored with those terms only.
 */
const PARTIAL = `part AS (SELECT p.label, ${SCORE} AS score FROM postings p JOIN unnest($terms::text[], $idf::float8[]) AS i (term, idf) ON i.term = p.term
    ${FIELDS} /*join*/
    WHERE p.term = ANY($terms::text[]) AND ${inScope("p.collection", "$scope")}/*filter*/
    GROUP BY p.label HAVING NOT p.label = ANY($done::bigint[]))`;

/**
 * The other terms' ($rest, IDFs $restIdf) contributions to a candidate `alias` (label, collection): one primary-key
 * probe per term (a join would let the planner read the terms' whole postings). NULL when it holds none of them.
 */
const restOf = (alias: string): string => `(SELECT ${SCORE} FROM unnest($rest::text[], $restIdf::float8[]) AS i (term, idf)
    JOIN postings p ON p.term = i.term AND p.collection = ${alias}.collection AND p.label = ${alias}.label ${FIELDS})`;

/**
 * True when the statistics the caller scored with ($checkTerms, their chunk frequencies $checkDf, $checkN chunks,
 * $checkTokens tokens) are those of the statement's snapshot.
 */
const CHECK = `(SELECT coalesce(sum(chunks), 0)::float8 = $checkN::float8 AND coalesce(sum(tokens), 0)::float8 = $checkTokens::float8
    FROM collection_stats WHERE ${inScope("collection", "$scope")})
  AND NOT EXISTS (SELECT 1 FROM unnest($checkTerms::text[], $checkDf::int[]) AS v (term, df) WHERE ${termDf("v.term", "$scope")} <> v.df)`;

/**
 * One MaxScore round in one statement (see PgKeywordIndex), as rows: 'd' label, id, score of each chunk completed;
 * 'g' when too many candidates remained to complete; 'ok' when the statistics checked hold (always without `checked`).
 *
 * With no other terms (`rest` false: every term essential), the best $k partial scores are exact: only they come back
 * (and any tied with the k-th, so the caller breaks ties by chunk key, as the in-memory index does).
 * Otherwise the best $first candidates are completed with the other terms' postings; θ is the $k-th best completed
 * score (with those of earlier rounds, $doneScores; 0 when fewer); the candidates θ does not rule out (partial score
 * plus the other terms' bound sum $bound above θ) are completed too, unless more than $most (then the caller grows
 * the essential set). Candidates stay in the server: only completed chunks, with their keys, come back.
 */
export function roundSql(rest: boolean, checked: boolean): string {
  const ok = `UNION ALL SELECT 'ok', NULL::bigint, NULL::text, NULL::float8 WHERE ${checked ? CHECK : "true"}`;
  if (!rest) {
    return `WITH ${PARTIAL}, top AS (SELECT label, score FROM part ORDER BY score DESC FETCH FIRST ($k::int) ROWS WITH TIES)
      SELECT 'd' AS kind, c.label, c.id, t.score FROM top t JOIN chunks c ON c.label = t.label ${ok}`;
  }
  return `WITH ${PARTIAL},
    cands AS MATERIALIZED (SELECT label, score FROM part),
    top AS MATERIALIZED (SELECT label, score FROM cands ORDER BY score DESC LIMIT $first::int),
    head AS MATERIALIZED (SELECT c.label, c.id, t.score + coalesce(${restOf("c")}, 0) AS score FROM top t JOIN chunks c ON c.label = t.label),
    theta AS (SELECT coalesce((SELECT s FROM (SELECT unnest($doneScores::float8[]) AS s UNION ALL SELECT score FROM head) a
      ORDER BY s DESC OFFSET ($k::int - 1) LIMIT 1), 0) AS t),
    batch AS MATERIALIZED (SELECT o.label, o.score FROM cands o, theta WHERE o.label NOT IN (SELECT label FROM top) AND o.score + $bound::float8 > theta.t
      ORDER BY o.score DESC LIMIT ($most::int + 1)),
    fits AS (SELECT count(*) <= $most::int AS fits FROM batch),
    more AS (SELECT c.label, c.id, b.score + coalesce(${restOf("c")}, 0) AS score FROM batch b JOIN chunks c ON c.label = b.label, fits WHERE fits.fits)
  SELECT 'd' AS kind, label, id, score FROM head
  UNION ALL SELECT 'd', label, id, score FROM more
  UNION ALL SELECT 'g', NULL::bigint, NULL::text, NULL::float8 FROM fits WHERE NOT fits.fits
  ${ok}`;
}

/**
 * A statement whose named parameters ($name) are numbered in order of first use, then the filter's clauses (chunks
 * as `c`, numbered after them) put in place of the filter mark (a `filter` comment), with the join to `chunks` at the
 * `join` mark when there are any.
 */
export function numbered(template: string, named: Readonly<Record<string, unknown>>, filter: ChunkFilter | undefined): { text: string; values: unknown[] } {
  const order: string[] = [];
  const text = template.replace(/\$([a-z]\w*)/g, (_m, name: string) => {
    if (!(name in named)) throw new Error(`no value for $${name}`);
    const i = order.indexOf(name);
    return `$${(i < 0 ? order.push(name) : i + 1)}`;
  });
  const { clauses, params } = pgChunkFilter(filter, "c", order.length + 1);
  return {
    text: text.replace("/*join*/", clauses.length > 0 ? "JOIN chunks c ON c.label = p.label" : "").replace("/*filter*/", clauses.map((c) => ` AND ${c}`).join("")),
    values: [...order.map((n) => named[n]), ...params],
  };
}
