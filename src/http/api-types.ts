// Response bodies of the endpoints the console uses, as types only (no runtime imports): the console's typed client
// imports them, with the answer and citation types from src/domain, instead of redefining them.
import type { Chunk } from "../domain/chunk.js";
import type { StoredDocument } from "../domain/document.js";

/** GET /whoami: a key's own name, scopes and collections — never the key itself. */
export interface WhoAmI {
  /** Key name (`anonymous` when the API runs without keys). */
  name: string;
  /** Scopes held, expanded (an admin key lists every scope). */
  scopes: string[];
  /** Collections the key is limited to; null for every collection. */
  collections: string[] | null;
  /** Collection of uploads that name none (a key limited to one collection uploads into that one). */
  defaultCollection: string;
  /** Whether /feedback, /suggest and /analytics exist on this server. */
  assist: boolean;
}

/** One chunk as the engine sees it: where it sits (section path, pages, printed page label) and its (redacted) text. */
export type ChunkView = Pick<Chunk, "id" | "position" | "sectionPath" | "pageStart" | "pageEnd" | "pageLabel" | "blockKind" | "tokenCount" | "text">;

/** GET /chunks/:id: a document's chunks in order. */
export interface DocumentChunks {
  collection: string;
  documentId: string;
  title: string;
  chunks: ChunkView[];
}

/** One queued upload in the 202 body of POST /documents and PUT /documents/:id. */
export interface QueuedUpload {
  id: string;
  documentId: string;
  deduplicated: boolean;
  format: string;
}

/** GET /documents: one page of the documents the key may see. */
export interface DocumentPage {
  items: StoredDocument[];
  total: number;
  limit: number;
  offset: number;
  /** Where the next page starts; absent on the last page. */
  nextOffset?: number;
}
