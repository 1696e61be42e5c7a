import type { Chunk } from "../../src/domain/chunk.js";
import type { LoadedDocument, PageStart } from "../../src/domain/document.js";
import { countTokens } from "../../src/text/tokens.js";
import { chunkId, contentHash } from "./chunk-id.js";
import { splitSection } from "./split.js";

/** Options of {@link chunkDocument}. */
export interface ChunkDocumentOptions {
  /** Collection the chunks are stored in. */
  collection: string;
  /** Chunk size bound in tokens (default 300). */
  maxTokens?: number;
  /** Overlap budget in tokens between consecutive chunks of a section (default 45). */
  overlapTokens?: number;
}

/** Chunk size used when the caller gives none. */
export const DEFAULT_MAX_TOKENS = 300;
/** Overlap budget used when the caller gives none (15% of the default size). */
export const DEFAULT_OVERLAP_TOKENS = 45;

/** Page containing character `offset`: the last page start at or before it (the first page before any start). */
function pageAt(pageStarts: readonly PageStart[], offset: number): number | undefined {
  let lo = 0;
  let hi = pageStarts.length - 1;
  let found = pageStarts[0]?.page;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const entry = pageStarts[mid];
    if (!entry) break;
    if (entry.offset <= offset) {
      found = entry.page;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

function pageRange(pageStarts: readonly PageStart[] | undefined, start: number, end: number): Pick<Chunk, "pageStart" | "pageEnd"> {
  if (!pageStarts || pageStarts.length === 0) return {};
  const pageStart = pageAt(pageStarts, start);
  // `end` is exclusive: the last character decides the last page.
  const pageEnd = pageAt(pageStarts, Math.max(start, end - 1));
  return {
    ...(pageStart !== undefined ? { pageStart } : {}),
    ...(pageEnd !== undefined ? { pageEnd } : {}),
  };
}

/**
 * Splits a loaded document into retrieval chunks, section by section (see `splitSection`). Chunk text is body text
 * only; the section path travels separately. Page ranges come from each section's `pageStarts`. Chunks repeating
 * text already chunked earlier in the same document (same content hash) are dropped, and positions are 0-based and
 * consecutive over the kept chunks.
 *
 * @throws InvalidInputError when the token options are invalid.
 */
export function chunkDocument(doc: LoadedDocument, opts: ChunkDocumentOptions): Chunk[] {
  const maxTokens = opts.maxTokens ?? DEFAULT_MAX_TOKENS;
  const overlapTokens = opts.overlapTokens ?? DEFAULT_OVERLAP_TOKENS;
  const seen = new Set<string>();
  const chunks: Chunk[] = [];
  for (const section of doc.sections) {
    if (section.text.trim() === "") continue;
    const pieces = splitSection(section.text, {
      maxTokens,
      overlapTokens,
      ...(doc.language !== undefined ? { language: doc.language } : {}),
    });
    for (const piece of pieces) {
      const hash = contentHash(piece.text);
      if (seen.has(hash)) continue;
      seen.add(hash);
      chunks.push({
        id: chunkId(opts.collection, doc.id, hash),
        documentId: doc.id,
        title: doc.title,
        sectionPath: [...section.path],
        ...pageRange(section.pageStarts, piece.start, piece.end),
        position: chunks.length,
        text: piece.text,
        contentHash: hash,
        tokenCount: countTokens(piece.text),
        collection: opts.collection,
        sourceType: doc.sourceType,
        ...(doc.product !== undefined ? { product: doc.product } : {}),
        ...(doc.language !== undefined ? { language: doc.language } : {}),
        ...(doc.url !== undefined ? { url: doc.url } : {}),
      });
    }
  }
  return chunks;
}
