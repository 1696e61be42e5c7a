import type { Chunk } from "../domain/chunk.js";
import type { DocumentStatus, SourceType, StoredDocument, TicketMeta } from "../domain/document.js";
import type { VectorEntry } from "../ports/vector-index.js";

/**
 * Row shapes of `documents` and `chunks`, the statements and the mappers to domain objects that the SQLite and the
 * PostgreSQL stores share: both tables have these columns in both engines, so one mapper keeps their answers equal.
 * Statements use `?` placeholders (the PostgreSQL store numbers them).
 */

export interface ChunkRow {
  id: string; document_id: string; title: string; section_path: string;
  page_start: number | null; page_end: number | null; position: number; text: string; content_hash: string;
  token_count: number; collection: string; source_type: string; product: string | null; language: string | null; url: string | null;
  page_label: string | null; block_kind: string | null;
}
export interface DocumentRow {
  id: string; title: string; collection: string; source_type: string; format: string; product: string | null;
  language: string | null; url: string | null; source_path: string | null; pages: number | null; ticket: string | null;
  redactions: number | null; content_hash: string; chunk_count: number; status: string; last_error: string | null; created_at: string; updated_at: string;
}
export const CHUNK_COLUMNS =
  "id, document_id, title, section_path, page_start, page_end, position, text, content_hash, token_count, collection, source_type, product, language, url, page_label, block_kind";

export const DOCUMENT_UPSERT = `INSERT INTO documents (id, title, collection, source_type, format, product, language, url, source_path, pages, ticket,
  content_hash, chunk_count, status, last_error, created_at, updated_at, redactions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (collection, id) DO UPDATE SET title = excluded.title, source_type = excluded.source_type,
  format = excluded.format, product = excluded.product, language = excluded.language, url = excluded.url, source_path = excluded.source_path,
  pages = excluded.pages, ticket = excluded.ticket, content_hash = excluded.content_hash, chunk_count = excluded.chunk_count,
  status = excluded.status, last_error = excluded.last_error, updated_at = excluded.updated_at, redactions = excluded.redactions`;
/** Records a failed ingestion: a new row with the given metadata, or only status and error on an existing one. */
export const DOCUMENT_MARK_FAILED = `INSERT INTO documents (id, title, collection, source_type, format, source_path, content_hash, chunk_count,
  status, last_error, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, 'failed', ?, ?, ?)
  ON CONFLICT (collection, id) DO UPDATE SET status = 'failed', last_error = excluded.last_error, updated_at = excluded.updated_at`;
/** Copies the non-null values of `extra` onto `target`, so optional fields stay absent instead of null. */
function withDefined<T extends object>(target: T, extra: { [K in keyof T]?: T[K] | null }): T {
  for (const [k, v] of Object.entries(extra)) if (v !== null && v !== undefined) Object.assign(target, { [k]: v });
  return target;
}

export function rowToChunk(r: ChunkRow): Chunk {
  const chunk: Chunk = {
    id: r.id, documentId: r.document_id, title: r.title, sectionPath: JSON.parse(r.section_path) as string[],
    position: r.position, text: r.text, contentHash: r.content_hash, tokenCount: r.token_count, collection: r.collection,
    sourceType: r.source_type as SourceType,
  };
  return withDefined(chunk, {
    pageStart: r.page_start, pageEnd: r.page_end, pageLabel: r.page_label, blockKind: r.block_kind as Chunk["blockKind"] | null,
    product: r.product, language: r.language, url: r.url,
  });
}

export function rowToDocument(r: DocumentRow): StoredDocument {
  const doc: StoredDocument = {
    id: r.id, title: r.title, collection: r.collection, sourceType: r.source_type as SourceType, format: r.format,
    contentHash: r.content_hash, chunkCount: r.chunk_count, status: r.status as DocumentStatus, createdAt: r.created_at, updatedAt: r.updated_at,
  };
  const ticket = r.ticket === null ? null : (JSON.parse(r.ticket) as TicketMeta);
  return withDefined(doc, {
    product: r.product, language: r.language, url: r.url, sourcePath: r.source_path, pages: r.pages, ticket, lastError: r.last_error,
    redactions: r.redactions,
  });
}

/** Chunk columns filters are evaluated on, as read from `chunks`. */
export interface FilterRow { collection: string; document_id: string; source_type: string; product: string | null; language: string | null }
/** The chunk fields filters are evaluated on, optional ones absent rather than null. */
export function filterFields(r: FilterRow): Pick<VectorEntry, "collection" | "documentId" | "sourceType" | "product" | "language"> {
  return {
    collection: r.collection, documentId: r.document_id, sourceType: r.source_type as SourceType,
    ...(r.product !== null ? { product: r.product } : {}), ...(r.language !== null ? { language: r.language } : {}),
  };
}
