import { InvalidInputError } from "../errors.js";
import type { ChunkInput, DocumentRecord } from "../ports/document-repository.js";

/** Keeps the first chunk of each content hash: a document never holds the same chunk twice. */
export function dedupe(chunks: readonly ChunkInput[]): ChunkInput[] {
  const seen = new Set<string>();
  return chunks.filter((c) => !seen.has(c.chunk.contentHash) && seen.add(c.chunk.contentHash));
}

/**
 * Throws unless every chunk belongs to `doc` and has `dims` dimensions (the store's embedder stamp, or for a store
 * without one the first chunk's), before anything of the batch is written.
 */
export function validateChunks(doc: Pick<DocumentRecord, "id" | "collection">, chunks: readonly ChunkInput[], dims: number | undefined): void {
  for (const { chunk, vector } of chunks) {
    if (chunk.documentId !== doc.id || chunk.collection !== doc.collection) {
      throw new InvalidInputError(`chunk ${chunk.id} belongs to '${chunk.collection}/${chunk.documentId}', not '${doc.collection}/${doc.id}'`);
    }
    if (vector.length !== dims) throw new InvalidInputError(`chunk ${chunk.id}: vector has ${vector.length} dimensions, expected ${dims}`);
  }
}
