/**
 * Deletes postings named by ($1 terms, $2 collections, $3 labels) through the postings primary key and lowers the
 * terms' chunk frequencies to match. A chunk's postings are exactly its distinct analyzer terms, so its stored token
 * arrays name them: no index on label is needed. Used by the chunk delete trigger and when a kept chunk's terms change.
 */
export const DROP_POSTINGS = `WITH gone AS (
    DELETE FROM postings p USING unnest($1::text[], $2::text[], $3::bigint[]) AS x (term, collection, label)
    WHERE p.term = x.term AND p.collection = x.collection AND p.label = x.label RETURNING p.term, p.collection)
  UPDATE term_stats s SET df = s.df - g.n FROM (SELECT term, collection, count(*) AS n FROM gone GROUP BY 1, 2) g
  WHERE s.term = g.term AND s.collection = g.collection`;

/**
 * Migration 4 of the PostgreSQL store: bulk writes and BM25 that stay fast at 100k+ chunks.
 * - `term_stats`: each term's chunk frequency per collection, kept by the writers (one grouped upsert per batch), so
 *   BM25 reads a term's frequency instead of counting its postings (a count that grew with the corpus).
 * - Statement-level triggers with transition tables instead of row triggers: one change-log insert and one
 *   statistics upsert per statement, not per chunk (the row trigger updated the same collection_stats row once per
 *   chunk). The change log keeps insertion order (labels are drawn in input order).
 * - The postings primary key carries the scoring columns (index-only scoring), and the label index goes: its upkeep
 *   was a second index write per posting, and deletes now go through the primary key (DROP_POSTINGS).
 */
export const FAST_WRITES_MIGRATION = `
  CREATE TABLE term_stats (
    term text COLLATE "C" NOT NULL,
    collection text COLLATE "C" NOT NULL,
    df bigint NOT NULL,
    PRIMARY KEY (term, collection)
  );
  INSERT INTO term_stats (term, collection, df) SELECT term, collection, count(*) FROM postings GROUP BY term, collection;

  DROP INDEX postings_label;
  ALTER TABLE postings DROP CONSTRAINT postings_pkey;
  ALTER TABLE postings ADD PRIMARY KEY (term, collection, label) INCLUDE (title_tf, body_tf, length);

  DROP TRIGGER chunks_insert_delete ON chunks;
  CREATE FUNCTION chunks_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO changes (op, chunk_id) SELECT 'add', id FROM new_rows ORDER BY label;
    INSERT INTO collection_stats AS s (collection, chunks, tokens)
      SELECT collection, count(*), sum(length) FROM new_rows GROUP BY collection
      ON CONFLICT (collection) DO UPDATE SET chunks = s.chunks + excluded.chunks, tokens = s.tokens + excluded.tokens;
    RETURN NULL;
  END $$;
  CREATE FUNCTION chunks_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO changes (op, chunk_id) SELECT 'delete', id FROM old_rows ORDER BY label;
    WITH gone AS (
      DELETE FROM postings p USING (SELECT o.label, o.collection, t.term FROM old_rows o, unnest(o.title_tokens || o.body_tokens) AS t (term)) x
      WHERE p.term = x.term AND p.collection = x.collection AND p.label = x.label RETURNING p.term, p.collection)
    UPDATE term_stats s SET df = s.df - g.n FROM (SELECT term, collection, count(*) AS n FROM gone GROUP BY 1, 2) g
    WHERE s.term = g.term AND s.collection = g.collection;
    UPDATE collection_stats s SET chunks = s.chunks - d.n, tokens = s.tokens - d.t
      FROM (SELECT collection, count(*) AS n, sum(length) AS t FROM old_rows GROUP BY collection) d WHERE s.collection = d.collection;
    RETURN NULL;
  END $$;
  CREATE TRIGGER chunks_inserted AFTER INSERT ON chunks REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION chunks_inserted();
  CREATE TRIGGER chunks_deleted AFTER DELETE ON chunks REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION chunks_deleted();
`;
