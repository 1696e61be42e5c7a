import type Database from "better-sqlite3";
import type { ChunkInput, DocumentRecord, ReplaceResult } from "../ports/document-repository.js";
import { CHUNK_INSERT, CHUNK_UPDATE, type ExistingRow } from "./sqlite-schema.js";
import { DOCUMENT_UPSERT } from "./store-rows.js";
import { sameVector, vectorToBuffer } from "./vector-codec.js";

/** The store's cached prepared-statement lookup. */
type Stmt = (sql: string) => Database.Statement;

// Chunk row writes of SqliteDocumentStore, always called inside its transactions; triggers keep the change log.

/**
 * Upserts the document's record and makes its chunks `unique` (deduplicated, validated): chunks no longer wanted are
 * deleted, kept ones (same content hash) updated in place, new ones inserted.
 */
export function writeDocument(stmt: Stmt, doc: DocumentRecord, unique: readonly ChunkInput[]): ReplaceResult {
  const now = new Date().toISOString();
  stmt(DOCUMENT_UPSERT).run(doc.id, doc.title, doc.collection, doc.sourceType, doc.format, doc.product ?? null, doc.language ?? null,
    doc.url ?? null, doc.sourcePath ?? null, doc.pages ?? null, doc.ticket ? JSON.stringify(doc.ticket) : null, doc.contentHash,
    unique.length, "ready", null, now, now, doc.redactions ?? null);
  const existing = new Map((stmt(`SELECT c.label, c.id, c.content_hash, c.vector, f.title_tokens, f.body_tokens
    FROM chunks c LEFT JOIN chunks_fts f ON f.rowid = c.label WHERE c.collection = ? AND c.document_id = ?`).all(doc.collection, doc.id) as ExistingRow[])
    .map((r) => [r.content_hash, r]));
  const wanted = new Set(unique.map((c) => c.chunk.contentHash));
  let removed = 0;
  for (const row of existing.values()) {
    if (!wanted.has(row.content_hash)) { stmt("DELETE FROM chunks WHERE label = ?").run(row.label); removed++; }
  }
  let kept = 0;
  for (const input of unique) {
    const row = existing.get(input.chunk.contentHash);
    if (row) { updateKept(stmt, row, input); kept++; } else insertChunk(stmt, doc.id, input);
  }
  return { added: unique.length - kept, removed, kept };
}

/** Inserts a new chunk and its FTS row (the analyzer's terms, space-separated). */
function insertChunk(stmt: Stmt, documentId: string, { chunk: c, titleTokens, bodyTokens, vector }: ChunkInput): void {
  const info = stmt(CHUNK_INSERT).run(c.id, documentId, c.title, JSON.stringify(c.sectionPath), c.pageStart ?? null, c.pageEnd ?? null,
    c.position, c.text, c.contentHash, c.tokenCount, c.collection, c.sourceType, c.product ?? null, c.language ?? null, c.url ?? null,
    c.pageLabel ?? null, c.blockKind ?? null, vectorToBuffer(vector), titleTokens.length + bodyTokens.length);
  stmt("INSERT INTO chunks_fts (rowid, title_tokens, body_tokens) VALUES (?, ?, ?)")
    .run(info.lastInsertRowid, titleTokens.join(" "), bodyTokens.join(" "));
}

/** Updates a kept chunk's metadata; its FTS row and vector only when they changed. */
function updateKept(stmt: Stmt, row: ExistingRow, { chunk: c, titleTokens, bodyTokens, vector }: ChunkInput): void {
  stmt(CHUNK_UPDATE).run(c.id, c.title, JSON.stringify(c.sectionPath), c.pageStart ?? null, c.pageEnd ?? null, c.position, c.text,
    c.tokenCount, c.collection, c.sourceType, c.product ?? null, c.language ?? null, c.url ?? null, c.pageLabel ?? null, c.blockKind ?? null,
    titleTokens.length + bodyTokens.length, row.label);
  const title = titleTokens.join(" ");
  const body = bodyTokens.join(" ");
  // FTS5 updates are a delete plus an insert: skip them when the tokens did not change.
  if (title !== row.title_tokens || body !== row.body_tokens) {
    stmt("DELETE FROM chunks_fts WHERE rowid = ?").run(row.label);
    stmt("INSERT INTO chunks_fts (rowid, title_tokens, body_tokens) VALUES (?, ?, ?)").run(row.label, title, body);
  }
  if (!sameVector(row.vector, vector)) writeVector(stmt, row.id, vector);
}

/** Replaces a chunk's vector and logs it again as an "add" (an upsert for followers). False if the chunk does not exist. */
export function writeVector(stmt: Stmt, chunkId: string, vector: Float32Array): boolean {
  const info = stmt("UPDATE chunks SET vector = ? WHERE id = ?").run(vectorToBuffer(vector), chunkId);
  if (info.changes === 0) return false;
  stmt("INSERT INTO changes (op, label, document_id, chunk_id) SELECT 'add', label, document_id, id FROM chunks WHERE id = ?").run(chunkId);
  return true;
}
