import Database from "better-sqlite3";

// The document store's schema at version 3 (before documents were keyed by (collection, id)), copied verbatim from
// the migrations that shipped, so tests can build a store as an older build left it and open it with this one.
const FTS_TOKENIZER = `unicode61 remove_diacritics 0 categories 'L* N* Co M* P* S*'`;
const V3_DDL = `
  CREATE TABLE documents (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, collection TEXT NOT NULL, source_type TEXT NOT NULL, format TEXT NOT NULL,
    product TEXT, language TEXT, url TEXT, source_path TEXT, pages INTEGER, ticket TEXT, content_hash TEXT NOT NULL,
    chunk_count INTEGER NOT NULL DEFAULT 0, status TEXT NOT NULL CHECK (status IN ('ready', 'processing', 'failed')),
    last_error TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL
  );
  CREATE INDEX documents_collection ON documents (collection);
  CREATE INDEX documents_source_path ON documents (source_path);
  CREATE TABLE chunks (
    label INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
    document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    title TEXT NOT NULL, section_path TEXT NOT NULL, page_start INTEGER, page_end INTEGER, position INTEGER NOT NULL,
    text TEXT NOT NULL, content_hash TEXT NOT NULL, token_count INTEGER NOT NULL, collection TEXT NOT NULL,
    source_type TEXT NOT NULL, product TEXT, language TEXT, url TEXT, vector BLOB NOT NULL
  );
  CREATE INDEX chunks_document ON chunks (document_id, position);
  CREATE VIRTUAL TABLE chunks_fts USING fts5 (title_tokens, body_tokens, tokenize = "${FTS_TOKENIZER}");
  INSERT INTO chunks_fts (chunks_fts, rank) VALUES ('secure-delete', 1);
  CREATE TABLE changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, op TEXT NOT NULL CHECK (op IN ('add', 'delete')), label INTEGER NOT NULL, document_id TEXT);
  CREATE TRIGGER chunks_after_insert AFTER INSERT ON chunks BEGIN
    INSERT INTO changes (op, label, document_id) VALUES ('add', new.label, new.document_id);
  END;
  CREATE TRIGGER chunks_after_delete AFTER DELETE ON chunks BEGIN
    DELETE FROM chunks_fts WHERE rowid = old.label;
    INSERT INTO changes (op, label, document_id) VALUES ('delete', old.label, old.document_id);
  END;
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE VIRTUAL TABLE chunks_fts_vocab USING fts5vocab (chunks_fts, 'row');
  ALTER TABLE documents ADD COLUMN redactions INTEGER;
`;

export interface V3Document {
  id: string;
  collection: string;
  title: string;
  /** One chunk per text; body tokens are its words. */
  texts: string[];
}

/**
 * Writes a version-3 store at `file` with `docs` (chunk ids in the old `${documentId}#n` form, 2-d vectors) as an
 * older build would have, then deletes `deleteLast` chunks' worth of labels so the AUTOINCREMENT sequence is ahead
 * of the highest live label. Returns the live labels.
 */
export function buildV3Store(file: string, docs: readonly V3Document[], options: { burnLabels?: number } = {}): number[] {
  const db = new Database(file);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("foreign_keys = ON");
    db.exec(V3_DDL);
    const now = new Date(0).toISOString();
    const vector = Buffer.from(new Float32Array([1, 0]).buffer);
    const insertDoc = db.prepare(`INSERT INTO documents (id, title, collection, source_type, format, content_hash, chunk_count, status, created_at, updated_at)
      VALUES (?, ?, ?, 'manual', 'text/plain', ?, ?, 'ready', ?, ?)`);
    const insertChunk = db.prepare(`INSERT INTO chunks (id, document_id, title, section_path, position, text, content_hash, token_count, collection, source_type, vector)
      VALUES (?, ?, ?, '[]', ?, ?, ?, ?, ?, 'manual', ?)`);
    const insertFts = db.prepare("INSERT INTO chunks_fts (rowid, title_tokens, body_tokens) VALUES (?, '', ?)");
    for (const d of docs) {
      insertDoc.run(d.id, d.title, d.collection, `hash-${d.id}`, d.texts.length, now, now);
      d.texts.forEach((text, i) => {
        const info = insertChunk.run(`${d.id}#${i}`, d.id, d.title, i, text, `ch-${d.id}-${i}`, text.split(" ").length, d.collection, vector);
        insertFts.run(info.lastInsertRowid, text.toLowerCase());
      });
    }
    if (options.burnLabels) {
      db.prepare("INSERT INTO documents (id, title, collection, source_type, format, content_hash, status, created_at, updated_at) VALUES ('burn', 'burn', 'x', 'manual', 'text/plain', 'h', 'ready', ?, ?)").run(now, now);
      for (let i = 0; i < options.burnLabels; i++) {
        insertChunk.run(`burn#${i}`, "burn", "burn", i, "burn", `burn-${i}`, 1, "x", vector);
      }
      db.prepare("DELETE FROM documents WHERE id = 'burn'").run();
    }
    db.pragma("user_version = 3");
    return db.prepare("SELECT label FROM chunks ORDER BY label").pluck().all() as number[];
  } finally {
    db.close();
  }
}
