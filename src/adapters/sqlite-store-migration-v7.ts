import type Database from "better-sqlite3";

type Db = Database.Database;

/** Analyzer terms in a space-joined FTS column (what FTS5 counts as its tokens: the tokenizer splits on spaces only). */
const TERMS_OF = (column: string): string => `CASE WHEN ${column} IS NULL OR ${column} = '' THEN 0 ELSE length(${column}) - length(replace(${column}, ' ', '')) + 1 END`;

/**
 * Version 7: ports keyed by chunk id, and keyword statistics per collection.
 * - `changes.chunk_id`: the change log names chunks by their store-wide key (`chunks.id`), not by row id, so a
 *   follower needs no SQLite row ids. Entries of chunks deleted before this version cannot be named any more: they
 *   keep a NULL key and are skipped when read; serving indexes saved before it are rebuilt (their manifests name an
 *   older version), so no follower needs them.
 * - `chunks.terms` (analyzer terms in both FTS columns) and `collection_stats` (chunks and terms per collection, kept
 *   by triggers), so BM25 over a set of collections uses exactly those collections' chunk count and average length.
 * Guarded like version 3: a file re-migrated from a rewound user_version may already have the columns.
 */
export function addChunkKeysAndCollectionStats(db: Db): void {
  const changeColumns = db.prepare("SELECT name FROM pragma_table_info('changes')").pluck().all() as string[];
  if (!changeColumns.includes("chunk_id")) {
    db.exec(`
      ALTER TABLE changes ADD COLUMN chunk_id TEXT;
      UPDATE changes SET chunk_id = (SELECT c.id FROM chunks c WHERE c.label = changes.label);
    `);
  }
  const chunkColumns = db.prepare("SELECT name FROM pragma_table_info('chunks')").pluck().all() as string[];
  if (!chunkColumns.includes("terms")) {
    db.exec(`
      ALTER TABLE chunks ADD COLUMN terms INTEGER NOT NULL DEFAULT 0;
      UPDATE chunks SET terms = coalesce((SELECT ${TERMS_OF("f.title_tokens")} + ${TERMS_OF("f.body_tokens")} FROM chunks_fts f WHERE f.rowid = chunks.label), 0);
    `);
  }
  db.exec(`
    DROP TABLE IF EXISTS collection_stats;
    CREATE TABLE collection_stats (collection TEXT PRIMARY KEY, chunks INTEGER NOT NULL, terms INTEGER NOT NULL);
    INSERT INTO collection_stats (collection, chunks, terms) SELECT collection, count(*), sum(terms) FROM chunks GROUP BY collection;
    DROP TRIGGER IF EXISTS chunks_after_insert;
    DROP TRIGGER IF EXISTS chunks_after_delete;
    DROP TRIGGER IF EXISTS chunks_after_terms_update;
    CREATE TRIGGER chunks_after_insert AFTER INSERT ON chunks BEGIN
      INSERT INTO changes (op, label, document_id, chunk_id) VALUES ('add', new.label, new.document_id, new.id);
      INSERT INTO collection_stats (collection, chunks, terms) VALUES (new.collection, 1, new.terms)
        ON CONFLICT (collection) DO UPDATE SET chunks = chunks + 1, terms = terms + excluded.terms;
    END;
    CREATE TRIGGER chunks_after_delete AFTER DELETE ON chunks BEGIN
      DELETE FROM chunks_fts WHERE rowid = old.label;
      INSERT INTO changes (op, label, document_id, chunk_id) VALUES ('delete', old.label, old.document_id, old.id);
      UPDATE collection_stats SET chunks = chunks - 1, terms = terms - old.terms WHERE collection = old.collection;
    END;
    CREATE TRIGGER chunks_after_terms_update AFTER UPDATE OF terms, collection ON chunks BEGIN
      UPDATE collection_stats SET chunks = chunks - 1, terms = terms - old.terms WHERE collection = old.collection;
      INSERT INTO collection_stats (collection, chunks, terms) VALUES (new.collection, 1, new.terms)
        ON CONFLICT (collection) DO UPDATE SET chunks = chunks + 1, terms = terms + excluded.terms;
    END;
  `);
}
