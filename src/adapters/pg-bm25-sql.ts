import type { ScriptFamily } from "../domain/chunk.js";
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

/** Sum of the BM25 contributions of joined postings `p` with term IDF `i.idf` ($3/$4 field weights, $5 avgdl). */
const SCORE = `sum(i.idf * w.f * ${K1 + 1}::float8 / (w.f + ${K1}::float8 * (${1 - B}::float8 + ${B}::float8 * p.length / $5::float8)))::float8`;
const FIELDS = "CROSS JOIN LATERAL (SELECT $3::float8 * p.title_tf + $4::float8 * p.body_tf AS f) w";

/**
 * The other terms' ($7 terms, $8 IDFs) contributions to a candidate `alias` (label, collection): one primary-key probe
 * per term (a join would let the planner read the terms' whole postings). NULL when it holds none of them.
 */
const restOf = (alias: string): string => `(SELECT ${SCORE} FROM unnest($7::text[], $8::float8[]) AS i (term, idf)
    JOIN postings p ON p.term = i.term AND p.collection = ${alias}.collection AND p.label = ${alias}.label ${FIELDS})`;

/** Parameters of `roundSql` before the filter's: $1…$14, and $15…$18 when it checks statistics. */
export const ROUND_PARAMS = 14;
export const CHECKED_ROUND_PARAMS = 18;

/**
 * One MaxScore round in one statement (see PgKeywordIndex): every chunk in scope ($6) passing the filter `clauses`
 * and holding an essential term ($1 terms, $2 IDFs) is partially scored from those postings; of those not completed
 * yet ($12 labels, $13 their scores) the best $9 are completed with the other terms' postings ($7, $8); θ is the $10-th
 * best completed score (0 when fewer); the remaining candidates that θ does not rule out (partial score + $11, the
 * other terms' bound sum, above θ) are completed too, unless more than $14 (then the caller grows the essential set).
 * Rows: 'd' label, id, score of each chunk completed; 'g' when there were too many to complete; 'ok' when the
 * statistics the caller scored with ($15 terms, $16 their chunk frequencies, $17 chunks, $18 tokens, `checked`) are
 * those of this statement's snapshot (always without `checked`).
 */
export function roundSql(clauses: readonly string[], checked: boolean): string {
  const join = clauses.length > 0 ? "JOIN chunks c ON c.label = p.label" : "";
  const ok = checked
    ? `(SELECT coalesce(sum(chunks), 0)::float8 = $17::float8 AND coalesce(sum(tokens), 0)::float8 = $18::float8
        FROM collection_stats WHERE ${inScope("collection", "$6")})
      AND NOT EXISTS (SELECT 1 FROM unnest($15::text[], $16::int[]) AS v (term, df) WHERE ${termDf("v.term", "$6")} <> v.df)`
    : "true";
  return `WITH part AS (SELECT p.label, ${SCORE} AS score FROM postings p JOIN unnest($1::text[], $2::float8[]) AS i (term, idf) ON i.term = p.term
      ${FIELDS} ${join}
      WHERE p.term = ANY($1::text[]) AND ${inScope("p.collection", "$6")}${clauses.map((c) => ` AND ${c}`).join("")}
      GROUP BY p.label),
    cands AS MATERIALIZED (SELECT label, score FROM part WHERE label <> ALL($12::bigint[])),
    top AS MATERIALIZED (SELECT label, score FROM cands ORDER BY score DESC LIMIT $9::int),
    head AS MATERIALIZED (SELECT c.label, c.id, t.score + coalesce(${restOf("c")}, 0) AS score FROM top t JOIN chunks c ON c.label = t.label),
    theta AS (SELECT coalesce((SELECT s FROM (SELECT unnest($13::float8[]) AS s UNION ALL SELECT score FROM head) a
      ORDER BY s DESC OFFSET ($10::int - 1) LIMIT 1), 0) AS t),
    batch AS MATERIALIZED (SELECT o.label, o.score FROM cands o, theta WHERE o.label NOT IN (SELECT label FROM top) AND o.score + $11::float8 > theta.t
      ORDER BY o.score DESC LIMIT ($14::int + 1)),
    fits AS (SELECT count(*) <= $14::int AS fits FROM batch),
    more AS (SELECT c.label, c.id, b.score + coalesce(${restOf("c")}, 0) AS score FROM batch b JOIN chunks c ON c.label = b.label, fits WHERE fits.fits)
  SELECT 'd' AS kind, label, id, score FROM head
  UNION ALL SELECT 'd', label, id, score FROM more
  UNION ALL SELECT 'g', NULL::bigint, NULL::text, NULL::float8 FROM fits WHERE NOT fits.fits
  UNION ALL SELECT 'ok', NULL::bigint, NULL::text, NULL::float8 WHERE ${ok}`;
}
