/**
 * Where a document's text came from: a product manual (or any reference text), a past support ticket, or a curated
 * answer a content team wrote for a question (a knowledge source, see src/curated/).
 */
export type SourceType = "manual" | "ticket" | "curated";

/** One logical section of a loaded document: a heading path and its text. */
export interface Section {
  /** Heading hierarchy, outermost first (e.g. ["Settings", "Picture", "Picture Mode"]); may be empty. */
  path: string[];
  text: string;
  /**
   * Page boundaries inside `text` (PDF): page `page` starts at character `offset`. Sorted by offset;
   * the first entry normally has offset 0. Absent for formats without pages.
   */
  pageStarts?: PageStart[];
  /**
   * Structural blocks inside `text` (code/command blocks, tables, lists), sorted by offset. `leadStart`, when set,
   * is where the sentence introducing the block begins ("... the following:"): the chunker keeps
   * `[leadStart, end)` in one chunk whenever it fits.
   */
  blocks?: TextBlock[];
}

export interface PageStart {
  offset: number;
  /** 1-based PDF page index. */
  page: number;
  /** Printed page label ("22", "iv"), when the PDF defines labels. */
  label?: string;
}

/** Kind of a structural block of text; "prose" for everything else, "toc" for contents/index text. */
export type BlockKind = "prose" | "code" | "table" | "list" | "toc";

/** A structural block `[start, end)` of a section's text. */
export interface TextBlock {
  start: number;
  end: number;
  kind: Exclude<BlockKind, "prose">;
  /** Start of the lead-in sentence attached to the block (≤ start). */
  leadStart?: number;
}

/** Metadata of a support ticket kept with the document (used for triage and similar-ticket lookups). */
export interface TicketMeta {
  subject: string;
  category?: string;
  tags?: string[];
  resolution?: string;
  createdAt?: string;
  status?: string;
}

/** What every document carries, loaded or stored. */
export interface DocumentMetadata {
  /** Stable external id: given by the source (JSONL id, ticket id) or derived from the source path. */
  id: string;
  title: string;
  sourceType: SourceType;
  /** MIME-ish format of the source: application/pdf, text/markdown, text/html, text/plain, application/x-ticket, application/jsonl. */
  format: string;
  product?: string;
  language?: string;
  url?: string;
  /** Source file this came from (absolute or as given); used by `ingest --prune`. */
  sourcePath?: string;
  /** Number of pages (PDF). */
  pages?: number;
  ticket?: TicketMeta;
}

/** What a loader produces: one document ready to be chunked. */
export interface LoadedDocument extends DocumentMetadata {
  sections: Section[];
}

/** A document as the store knows it. */
export interface StoredDocument extends DocumentMetadata {
  collection: string;
  /** sha256 of the normalised content + chunking settings: equal hash means re-ingest is a no-op. */
  contentHash: string;
  chunkCount: number;
  status: DocumentStatus;
  lastError?: string;
  /** Personal data replaced by placeholders ([EMAIL], [PHONE], ...) at ingestion; absent when no redactor ran. */
  redactions?: number;
  createdAt: string;
  updatedAt: string;
}

export type DocumentStatus = "ready" | "processing" | "failed";
