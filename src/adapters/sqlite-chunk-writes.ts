import type Database from "better-sqlite3";
import type { ChunkInput } from "../ports/document-repository.js";
import { CHUNK_INSERT, CHUNK_UPDATE, type ExistingRow } from "./sqlite-schema.js";
import { sameVector, vectorToBuffer } from "./vector-codec.js";

/** The store's cached prepared-statement lookup. */
type Stmt = (sql: string) => Database.Statement;

// Chunk row writes of SqliteDocumentStore, always called inside its transactions; triggers keep the change log.

/** Inserts a new chunk and its FTS row (the analyzer's terms, space-separated). */
export function insertChunk(stmt: Stmt, documentId: string, { chunk: c, titleTokens, bodyTokens, vector }: ChunkInput): void {
  const info = stmt(CHUNK_INSERT).run(c.id, documentId, c.title, JSON.stringify(c.sectionPath), c.pageStart ?? null, c.pageEnd ?? null,
    c.position, c.text, c.contentHash, c.tokenCount, c.collection, c.sourceType, c.product ?? null, c.language ?? null, c.url ?? null,
    c.pageLabel ?? null, c.blockKind ?? null, vectorToBuffer(vector), titleTokens.length + bodyTokens.length);
  stmt("INSERT INTO chunks_fts (rowid, title_tokens, body_tokens) VALUES (?, ?, ?)")
    .run(info.lastInsertRowid, titleTokens.join(" "), bodyTokens.join(" "));
}

/** Updates a kept chunk's metadata; its FTS row and vector only when they changed. */
export function updateKept(stmt: Stmt, row: ExistingRow, { chunk: c, titleTokens, bodyTokens, vector }: ChunkInput): void {
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
