import type Database from "better-sqlite3";
import type { ChunkTerms } from "../domain/chunk.js";
import { AppError } from "../errors.js";
import { migrateToCollectionIdentity } from "./sqlite-store-migration-v4.js";
import { addChunkPageLabelAndKind } from "./sqlite-store-migration-v6.js";
import { addChunkKeysAndCollectionStats } from "./sqlite-store-migration-v7.js";

type Db = Database.Database;

/**
 * FTS5 tokenizer for the analyzer's tokens. The analyzer already normalised, stemmed and split the text (CJK into
 * characters and bigrams), so FTS5 must not split again: with every category but separators and controls as
 * token characters, only the single spaces we join tokens with separate terms ("wi-fi", "c++", "手机" stay whole).
 */
const FTS_TOKENIZER = `unicode61 remove_diacritics 0 categories 'L* N* Co M* P* S*'`;

/** Migration N (1-based index in this array) brings the schema from version N-1 to N. Never edit a shipped one. */
const MIGRATIONS: ReadonlyArray<(db: Db) => void> = [
  (db) => {
    db.exec(`
      CREATE TABLE documents (
        id TEXT PRIMARY KEY,
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
        updated_at TEXT NOT NULL
      );
      CREATE INDEX documents_collection ON documents (collection);
      CREATE INDEX documents_source_path ON documents (source_path);

      -- AUTOINCREMENT: labels (vector index keys) are never reused, so a stale index entry can never alias a new chunk.
      CREATE TABLE chunks (
        label INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
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
        vector BLOB NOT NULL
      );
      CREATE INDEX chunks_document ON chunks (document_id, position);

      CREATE VIRTUAL TABLE chunks_fts USING fts5 (title_tokens, body_tokens, tokenize = "${FTS_TOKENIZER}");
      -- Removes deleted terms from the FTS index at once instead of at the next merge (no lingering deleted text).
      INSERT INTO chunks_fts (chunks_fts, rank) VALUES ('secure-delete', 1);

      CREATE TABLE changes (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        op TEXT NOT NULL CHECK (op IN ('add', 'delete')),
        label INTEGER NOT NULL,
        document_id TEXT
      );

      -- Triggers keep FTS rows and the change log right for every chunk insert/delete, cascades included.
      CREATE TRIGGER chunks_after_insert AFTER INSERT ON chunks BEGIN
        INSERT INTO changes (op, label, document_id) VALUES ('add', new.label, new.document_id);
      END;
      CREATE TRIGGER chunks_after_delete AFTER DELETE ON chunks BEGIN
        DELETE FROM chunks_fts WHERE rowid = old.label;
        INSERT INTO changes (op, label, document_id) VALUES ('delete', old.label, old.document_id);
      END;

      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `);
  },
  (db) => {
    // Per-term chunk frequencies (IDF) straight from the FTS index.
    db.exec("CREATE VIRTUAL TABLE chunks_fts_vocab USING fts5vocab (chunks_fts, 'row');");
  },
  (db) => {
    // How many PII values ingestion replaced per document. Guarded: a file re-migrated from an older user_version
    // (tests rewind it) may already have the column.
    const columns = db.prepare("SELECT name FROM pragma_table_info('documents')").pluck().all() as string[];
    if (!columns.includes("redactions")) db.exec("ALTER TABLE documents ADD COLUMN redactions INTEGER");
  },
  // Version 4: a document's identity is (collection, id); see migrateToCollectionIdentity.
  (db) => migrateToCollectionIdentity(db),
  (db) => {
    // Audit log of destructive actions (replace, delete, cancel); see sqlite-store-audit.ts.
    db.exec(`
      CREATE TABLE IF NOT EXISTS audit (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        key_name TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('replace', 'delete', 'cancel')),
        collection TEXT NOT NULL,
        document_id TEXT NOT NULL,
        request_id TEXT,
        count INTEGER
      );
      CREATE INDEX IF NOT EXISTS audit_collection ON audit (collection, seq);
    `);
  },
  // Version 6: chunks.page_label and chunks.block_kind.
  (db) => addChunkPageLabelAndKind(db),
  // Version 7: the change log names chunk ids; per-collection keyword statistics.
  (db) => addChunkKeysAndCollectionStats(db),
];

/** Schema version this build writes and understands. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** Raised when a database file was written by a newer build (or is not ours). */
export class SchemaVersionError extends AppError {
  constructor(file: string, found: number, supported: number, hint: string) {
    super("store-schema-version", 500, `${file}: store schema version ${found} ${hint} (this build supports version ${supported})`, {
      details: { file, found, supported },
    });
  }
}

function userVersion(db: Db): number {
  return Number(db.pragma("user_version", { simple: true }));
}

/**
 * Per-connection settings of the store beyond the common ones (src/adapters/sqlite-open.ts): reads (FTS5 segments,
 * chunk rows) straight from the OS page cache instead of copying through SQLite's cache.
 */
export const STORE_PRAGMAS: readonly string[] = ["mmap_size = 1073741824", "cache_size = -32768"];

/**
 * Brings the schema to SCHEMA_VERSION in one IMMEDIATE transaction (re-reading the version under the write lock,
 * so two processes opening a new file at once do not both migrate). A newer file is refused, never touched.
 */
export function migrate(db: Db, file: string): void {
  const found = userVersion(db);
  if (found > SCHEMA_VERSION) throw new SchemaVersionError(file, found, SCHEMA_VERSION, "is newer than this build; upgrade the application");
  if (found === SCHEMA_VERSION) return;
  // Table rebuilds (version 4) must not cascade deletes while the old table is dropped; the pragma is a no-op inside
  // a transaction, so it is switched around it, and the result is checked before the commit.
  db.pragma("foreign_keys = OFF");
  try {
    db.transaction(() => {
      const current = userVersion(db);
      if (current > SCHEMA_VERSION) throw new SchemaVersionError(file, current, SCHEMA_VERSION, "is newer than this build; upgrade the application");
      for (let v = current; v < SCHEMA_VERSION; v++) {
        const step = MIGRATIONS[v];
        if (step) step(db);
      }
      const broken = db.pragma("foreign_key_check") as unknown[];
      if (broken.length > 0) throw new AppError("store-migration", 500, `${file}: migration left ${broken.length} rows without their document`);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
    }).immediate();
  } finally {
    db.pragma("foreign_keys = ON");
  }
}

/** A read-only connection cannot migrate: it needs exactly the current schema. */
export function checkVersion(db: Db, file: string): void {
  const found = userVersion(db);
  if (found > SCHEMA_VERSION) throw new SchemaVersionError(file, found, SCHEMA_VERSION, "is newer than this build; upgrade the application");
  if (found < SCHEMA_VERSION) throw new SchemaVersionError(file, found, SCHEMA_VERSION, "is older; open it read-write once to migrate");
}

// ---- Row shapes of the SQLite-only tables and statements (the shared ones are in store-rows.ts) ----

export interface ExistingRow { label: number; id: string; content_hash: string; vector: Buffer; title_tokens: string | null; body_tokens: string | null }

export const CHUNK_INSERT = `INSERT INTO chunks (id, document_id, title, section_path, page_start, page_end, position, text, content_hash, token_count,
  collection, source_type, product, language, url, page_label, block_kind, vector, terms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
export const CHUNK_UPDATE = `UPDATE chunks SET id = ?, title = ?, section_path = ?, page_start = ?, page_end = ?, position = ?, text = ?,
  token_count = ?, collection = ?, source_type = ?, product = ?, language = ?, url = ?, page_label = ?, block_kind = ?, terms = ? WHERE label = ?`;

/** Re-ranking candidates: position, section and the stored analyzer terms, without the text. */
export const CHUNK_TERMS_SELECT = `SELECT c.id, c.document_id, c.section_path, c.position, c.language, f.title_tokens, f.body_tokens
  FROM chunks c JOIN chunks_fts f ON f.rowid = c.label WHERE c.id IN (SELECT value FROM json_each(?))`;

export interface ChunkTermsRow {
  id: string;
  document_id: string;
  section_path: string;
  position: number;
  language: string | null;
  title_tokens: string | null;
  body_tokens: string | null;
}

export function rowToChunkTerms(r: ChunkTermsRow): ChunkTerms {
  const split = (s: string | null): string[] => (s ? s.split(" ") : []);
  return {
    chunkId: r.id, documentId: r.document_id, sectionPath: JSON.parse(r.section_path) as string[], position: r.position,
    titleTokens: split(r.title_tokens), bodyTokens: split(r.body_tokens), ...(r.language !== null ? { language: r.language } : {}),
  };
}
