import type Database from "better-sqlite3";

type Db = Database.Database;

/**
 * Documents keyed by (collection, id) instead of id, so the same id in two collections is two documents (a key of
 * one collection can never replace another's). Chunks reference their document by (collection, document_id), and
 * chunk ids gain the collection prefix (`collection/documentId#hash`) so they stay unique across collections.
 * Tables are rebuilt (SQLite cannot change a primary key) keeping every chunk label, the AUTOINCREMENT sequence
 * (labels are never reused), the FTS rows (keyed by label) and the change log. Runs with foreign keys off
 * (see `migrate`), so dropping the old tables cascades nothing.
 */
export function migrateToCollectionIdentity(db: Db): void {
  // Guarded like version 3: a file already keyed by (collection, id) (re-migrated from a rewound user_version) is done.
  const keyColumns = db.prepare("SELECT count(*) FROM pragma_table_info('documents') WHERE pk > 0").pluck().get() as number;
  if (keyColumns > 1) return;
  const seq = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'chunks'").pluck().get() as number | undefined;
  db.exec(`
    CREATE TABLE documents_v4 (
      id TEXT NOT NULL,
      title TEXT NOT NULL,
      collection TEXT NOT NULL,
      source_type TEXT NOT NULL,
      format TEXT NOT NULL,
      product TEXT,
      language TEXT,
      url TEXT,
      source_path TEXT,
      pages INTEGER,
      ticket TEXT,
      content_hash TEXT NOT NULL,
      chunk_count INTEGER NOT NULL DEFAULT 0,
      status TEXT NOT NULL CHECK (status IN ('ready', 'processing', 'failed')),
      last_error TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      redactions INTEGER,
      PRIMARY KEY (collection, id)
    );
    INSERT INTO documents_v4 (id, title, collection, source_type, format, product, language, url, source_path, pages, ticket,
      content_hash, chunk_count, status, last_error, created_at, updated_at, redactions)
      SELECT id, title, collection, source_type, format, product, language, url, source_path, pages, ticket,
      content_hash, chunk_count, status, last_error, created_at, updated_at, redactions FROM documents;
    DROP TABLE documents;
    ALTER TABLE documents_v4 RENAME TO documents;
    CREATE INDEX documents_id ON documents (id);
    CREATE INDEX documents_source_path ON documents (source_path);

    CREATE TABLE chunks_v4 (
      label INTEGER PRIMARY KEY AUTOINCREMENT,
      id TEXT NOT NULL UNIQUE,
      document_id TEXT NOT NULL,
      title TEXT NOT NULL,
      section_path TEXT NOT NULL,
      page_start INTEGER,
      page_end INTEGER,
      position INTEGER NOT NULL,
      text TEXT NOT NULL,
      content_hash TEXT NOT NULL,
      token_count INTEGER NOT NULL,
      collection TEXT NOT NULL,
      source_type TEXT NOT NULL,
      product TEXT,
      language TEXT,
      url TEXT,
      vector BLOB NOT NULL,
      FOREIGN KEY (collection, document_id) REFERENCES documents (collection, id) ON DELETE CASCADE
    );
    -- The chunk's collection was its document's (a move rewrote both), so (collection, document_id) finds the parent.
    INSERT INTO chunks_v4 (label, id, document_id, title, section_path, page_start, page_end, position, text, content_hash,
      token_count, collection, source_type, product, language, url, vector)
      SELECT c.label, c.collection || '/' || c.id, c.document_id, c.title, c.section_path, c.page_start, c.page_end, c.position,
      c.text, c.content_hash, c.token_count, d.collection, c.source_type, c.product, c.language, c.url, c.vector
      FROM chunks c JOIN documents d ON d.collection = c.collection AND d.id = c.document_id;
    DROP TABLE chunks;
    ALTER TABLE chunks_v4 RENAME TO chunks;
    CREATE INDEX chunks_document ON chunks (collection, document_id, position);
    CREATE TRIGGER chunks_after_insert AFTER INSERT ON chunks BEGIN
      INSERT INTO changes (op, label, document_id) VALUES ('add', new.label, new.document_id);
    END;
    CREATE TRIGGER chunks_after_delete AFTER DELETE ON chunks BEGIN
      DELETE FROM chunks_fts WHERE rowid = old.label;
      INSERT INTO changes (op, label, document_id) VALUES ('delete', old.label, old.document_id);
    END;
    -- FTS rows of chunks that had no document (impossible with foreign keys on, but never keep orphaned text).
    DELETE FROM chunks_fts WHERE rowid NOT IN (SELECT label FROM chunks);
  `);
  if (seq !== undefined) {
    db.prepare("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'chunks'").run(seq);
    db.prepare("INSERT INTO sqlite_sequence (name, seq) SELECT 'chunks', ? WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'chunks')").run(seq);
  }
}
