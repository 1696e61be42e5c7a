import type { BlockKind, SourceType } from "./document.js";

/** A retrieval unit: a bounded piece of one section of one document, with its provenance. */
export interface Chunk {
  /** Stable id: `${documentId}#${contentHash.slice(0, 12)}` (unique within a document since chunks are deduplicated). */
  id: string;
  documentId: string;
  title: string;
  sectionPath: string[];
  pageStart?: number;
  pageEnd?: number;
  /** Printed page label of `pageStart` ("22", "iv") when the PDF defines page labels; `pageStart` stays the 1-based PDF index. */
  pageLabel?: string;
  /**
   * What the chunk mainly holds: a code/command block (verbatim, with its lead-in), table rows with their headers, a
   * list, or prose. "toc" marks table-of-contents/index text, never used in answers (PDF loaders drop such pages).
   */
  blockKind?: BlockKind;
  /** 0-based order of the chunk within its document. */
  position: number;
  text: string;
  /** sha256 (hex) of the normalised chunk text. */
  contentHash: string;
  tokenCount: number;
  collection: string;
  sourceType: SourceType;
  product?: string;
  language?: string;
  url?: string;
}

/**
 * What re-ranking needs of a candidate chunk, without its text: where it sits and the analyzer terms stored with it
 * at ingest (title + section path, and text).
 */
export interface ChunkTerms extends ChunkTermLists {
  label: number;
  documentId: string;
  sectionPath: string[];
  position: number;
}

/** A chunk's analyzer terms: title + section path (the separately weighted BM25 field), and text. */
export interface ChunkTermLists {
  titleTokens: string[];
  bodyTokens: string[];
}

/** Filters applied by retrieval; all optional, combined with AND. */
export interface ChunkFilter {
  collections?: string[];
  sourceTypes?: SourceType[];
  products?: string[];
  languages?: string[];
  documentIds?: string[];
  /**
   * When set, ticket chunks are kept only from these collections (an empty list: no ticket chunks at all); other
   * source types are unaffected. Set by the answer use case (customer answers), never by callers.
   */
  ticketCollections?: string[];
}
