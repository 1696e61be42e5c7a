import { scriptFamilySql } from "./script-family-sql.js";

/**
 * The per-family columns of `collection_stats`, aggregated over rows with a `length`, a `collection` and a script
 * class `k` (see chunk_script_class), as `collection, chunks, tokens, cjk_chunks, cjk_tokens, alphabetic_chunks,
 * alphabetic_tokens`.
 */
const SUMS = `collection, count(*) AS chunks, coalesce(sum(length), 0) AS tokens,
  count(*) FILTER (WHERE k = 2) AS cjk_chunks, coalesce(sum(length) FILTER (WHERE k = 2), 0) AS cjk_tokens,
  count(*) FILTER (WHERE k = 1) AS alphabetic_chunks, coalesce(sum(length) FILTER (WHERE k = 1), 0) AS alphabetic_tokens`;

/** The class of each row of a transition table. */
const classed = (table: string): string => `(SELECT collection, length, chunk_script_class(language) AS k FROM ${table}) r`;

/**
 * Migration 5 of the PostgreSQL store: each collection's chunks and analyzer terms per script family, beside its
 * totals in `collection_stats` (`cjk_*`: chunks whose language tag is CJK, `alphabetic_*`: any other tag; chunks without
 * a language are the rest). With them a query knows from the statistics row it reads anyway whether the collections it
 * covers hold the other script family than its question's: only then are one family's statistics counted from
 * `postings` (an extractive answer asked for them on every question — a counting query per term — even in
 * single-language collections). The statement triggers keep them; a kept chunk whose language or length changes moves
 * between them (a row trigger, fired only then).
 *
 * `chunk_script_class` is the rule of `scriptFamilySql` frozen into the schema (0 no language, 1 alphabetic, 2 CJK, as
 * src/index/keyword-groups.ts numbers them): a change of that rule needs a migration that recounts.
 */
export const SCRIPT_FAMILY_MIGRATION = `
  CREATE FUNCTION chunk_script_class(language text) RETURNS smallint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (CASE WHEN language IS NULL THEN 0 WHEN ${scriptFamilySql("language", "cjk")} THEN 2 ELSE 1 END)::smallint
  $$;

  ALTER TABLE collection_stats ADD COLUMN cjk_chunks bigint NOT NULL DEFAULT 0, ADD COLUMN cjk_tokens bigint NOT NULL DEFAULT 0,
    ADD COLUMN alphabetic_chunks bigint NOT NULL DEFAULT 0, ADD COLUMN alphabetic_tokens bigint NOT NULL DEFAULT 0;
  UPDATE collection_stats s SET cjk_chunks = f.cjk_chunks, cjk_tokens = f.cjk_tokens, alphabetic_chunks = f.alphabetic_chunks,
    alphabetic_tokens = f.alphabetic_tokens
    FROM (SELECT ${SUMS} FROM ${classed("chunks")} GROUP BY collection) f WHERE s.collection = f.collection;

  CREATE OR REPLACE FUNCTION chunks_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO changes (op, chunk_id) SELECT 'add', id FROM new_rows ORDER BY label;
    INSERT INTO collection_stats AS s (collection, chunks, tokens, cjk_chunks, cjk_tokens, alphabetic_chunks, alphabetic_tokens)
      SELECT ${SUMS} FROM ${classed("new_rows")} GROUP BY collection
      ON CONFLICT (collection) DO UPDATE SET chunks = s.chunks + excluded.chunks, tokens = s.tokens + excluded.tokens,
        cjk_chunks = s.cjk_chunks + excluded.cjk_chunks, cjk_tokens = s.cjk_tokens + excluded.cjk_tokens,
        alphabetic_chunks = s.alphabetic_chunks + excluded.alphabetic_chunks, alphabetic_tokens = s.alphabetic_tokens + excluded.alphabetic_tokens;
    RETURN NULL;
  END $$;

  CREATE OR REPLACE FUNCTION chunks_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO changes (op, chunk_id) SELECT 'delete', id FROM old_rows ORDER BY label;
    WITH gone AS (
      DELETE FROM postings p USING (SELECT o.label, o.collection, t.term FROM old_rows o, unnest(o.title_tokens || o.body_tokens) AS t (term)) x
      WHERE p.term = x.term AND p.collection = x.collection AND p.label = x.label RETURNING p.term, p.collection)
    UPDATE term_stats s SET df = s.df - g.n FROM (SELECT term, collection, count(*) AS n FROM gone GROUP BY 1, 2) g
    WHERE s.term = g.term AND s.collection = g.collection;
    UPDATE collection_stats s SET chunks = s.chunks - d.chunks, tokens = s.tokens - d.tokens,
        cjk_chunks = s.cjk_chunks - d.cjk_chunks, cjk_tokens = s.cjk_tokens - d.cjk_tokens,
        alphabetic_chunks = s.alphabetic_chunks - d.alphabetic_chunks, alphabetic_tokens = s.alphabetic_tokens - d.alphabetic_tokens
      FROM (SELECT ${SUMS} FROM ${classed("old_rows")} GROUP BY collection) d WHERE s.collection = d.collection;
    RETURN NULL;
  END $$;

  -- A kept chunk rewritten in place (same collection): its old figures out, its new ones in.
  CREATE FUNCTION chunks_restated() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE
    was_class smallint := chunk_script_class(OLD.language);
    new_class smallint := chunk_script_class(NEW.language);
  BEGIN
    UPDATE collection_stats SET tokens = tokens + NEW.length - OLD.length,
      cjk_chunks = cjk_chunks + (new_class = 2)::int - (was_class = 2)::int,
      cjk_tokens = cjk_tokens + CASE WHEN new_class = 2 THEN NEW.length ELSE 0 END - CASE WHEN was_class = 2 THEN OLD.length ELSE 0 END,
      alphabetic_chunks = alphabetic_chunks + (new_class = 1)::int - (was_class = 1)::int,
      alphabetic_tokens = alphabetic_tokens + CASE WHEN new_class = 1 THEN NEW.length ELSE 0 END - CASE WHEN was_class = 1 THEN OLD.length ELSE 0 END
    WHERE collection = NEW.collection;
    RETURN NULL;
  END $$;
  DROP TRIGGER chunks_length ON chunks;
  CREATE TRIGGER chunks_restated AFTER UPDATE OF length, language ON chunks FOR EACH ROW
    WHEN (OLD.length IS DISTINCT FROM NEW.length OR OLD.language IS DISTINCT FROM NEW.language) EXECUTE FUNCTION chunks_restated();
`;
