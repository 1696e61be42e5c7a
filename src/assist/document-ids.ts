import { createHmac } from "node:crypto";
import { createRedactor, parseRedactPatterns } from "./redact.js";

/**
 * Document ids come from customers' data (ticket ids, file names, JSON ids) and end up everywhere: the store, job
 * payloads, logs, API responses. An id that contains personal data is therefore stored as a keyed HMAC of itself
 * (`pii-<32 hex>`, keeping a document extension such as `.pdf`): the same raw id always maps to the same stored id,
 * so GET/PUT/DELETE with the original id still find the document, and nobody without the key can recover it.
 */

/** Maps a raw document id to the id it is stored under; idempotent (a stored id maps to itself). */
export interface DocumentIds {
  toStored(rawId: string): string;
  /** How to rebuild the same mapping in a worker thread (plain data). */
  readonly spec?: DocumentIdSpec;
}

/** What a mapping is built from. */
export interface DocumentIdSpec {
  /** HMAC key (ID_HMAC_SECRET or DATA_DIR/secret). */
  secret: string;
  /** REDACT_PATTERNS: site-specific personal data in ids is hashed too. */
  patterns?: string | undefined;
}

export interface DocumentIdContext {
  secret: string;
  /** Whether a text holds personal data (every built-in kind and site-specific pattern, whatever REDACT_POLICY says). */
  containsPersonalData(text: string): boolean;
}

const STORED_RE = /^pii-[0-9a-f]{32}(?:\.[a-z0-9]{1,8})?$/;
/** Extensions worth keeping: they tell people and format detection what the document is. */
const DOCUMENT_EXTENSION_RE = /\.(pdf|md|markdown|html?|txt|text|jsonl?|ndjson|csv)$/i;

/** The stored form of `rawId` (pure): unchanged without personal data, else `pii-<HMAC-SHA256 hex 32>[.ext]`. */
export function storedDocumentId(rawId: string, ctx: DocumentIdContext): string {
  if (STORED_RE.test(rawId) || !ctx.containsPersonalData(rawId)) return rawId;
  const digest = createHmac("sha256", ctx.secret).update(rawId, "utf8").digest("hex").slice(0, 32);
  const ext = DOCUMENT_EXTENSION_RE.exec(rawId)?.[1]?.toLowerCase();
  return `pii-${digest}${ext ? `.${ext}` : ""}`;
}

/** The mapping for a secret and REDACT_PATTERNS: every kind counts as personal data in ids, whatever the policy. */
export function createDocumentIds(spec: DocumentIdSpec): DocumentIds {
  const redactor = createRedactor(parseRedactPatterns(spec.patterns), { tickets: "all", questions: "all", default: "all", collections: {}, documentRoleAddresses: "redact" });
  const ctx: DocumentIdContext = { secret: spec.secret, containsPersonalData: (text) => redactor.redact(text).total > 0 };
  return { toStored: (rawId) => storedDocumentId(rawId, ctx), spec };
}

/** A source path with each segment mapped like an id, so a file name with personal data is not stored either. */
export function storedSourcePath(path: string, ids: DocumentIds): string {
  return path
    .split(/([\\/])/)
    .map((segment) => (segment === "/" || segment === "\\" || segment === "" ? segment : ids.toStored(segment)))
    .join("");
}
