import { createHash } from "node:crypto";

/**
 * Content hash of a chunk text: sha256 (hex) of the NFC-normalised text with whitespace runs collapsed to one space
 * and trimmed, so re-extraction differences in spacing or Unicode composition do not change the hash.
 */
export function contentHash(text: string): string {
  const normalised = text.normalize("NFC").replace(/\s+/g, " ").trim();
  return createHash("sha256").update(normalised, "utf8").digest("hex");
}

/**
 * Stable chunk id: `${collection}/${documentId}#${first 12 hex digits of the content hash}`. The collection prefix
 * keeps ids unique across collections (a document is `(collection, id)`); collection names contain no '/'.
 */
export function chunkId(collection: string, documentId: string, hash: string): string {
  return `${collection}/${documentId}#${hash.slice(0, 12)}`;
}
