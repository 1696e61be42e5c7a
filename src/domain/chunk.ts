import type { BlockKind, SourceType } from "./document.js";

/**
 * Marks where a new page starts inside a chunk's text (a form feed: whitespace to every analyzer and renderer), so a
 * citation can give the page of the sentence it quotes. Only chunks of paged documents (PDF) hold it.
 */
export const PAGE_BREAK = "\f";

/** A retrieval unit: a bounded piece of one section of one document, with its provenance. */
export interface Chunk {
  /**
   * Stable id and the store-wide chunk key every storage port uses: `${collection}/${documentId}#${contentHash
   * prefix}` (see ingest/chunking/chunk-id.ts). Collection names hold no '/', and a document never holds one content
   * hash twice, so it is unique across the whole store (SQLite enforces it with a UNIQUE column).
   */
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
  /** The chunk's key (`Chunk.id`). */
  chunkId: string;
  documentId: string;
  sectionPath: string[];
  position: number;
  /** The chunk's language tag (its document's), when known: lets retrieval keep one script family (see `quotableIn`). */
  language?: string;
}

/** A chunk's analyzer terms: title + section path (the separately weighted BM25 field), and text. */
export interface ChunkTermLists {
  titleTokens: string[];
  bodyTokens: string[];
}

/**
 * How a language is written, as far as quoting and term statistics go: Chinese, Japanese and Korean ("cjk"), or an
 * alphabet. A chunk's family is its language tag's (`scriptFamily` in src/text/language.ts).
 */
export type ScriptFamily = "cjk" | "alphabetic";

/** The script family of a language tag: CJK for the primary subtags zh, ja and ko, alphabetic for any other. */
export function languageScriptFamily(language: string): ScriptFamily {
  const tag = language.trim().toLowerCase().split(/[-_]/)[0] ?? "";
  return tag === "zh" || tag === "ja" || tag === "ko" ? "cjk" : "alphabetic";
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
  /**
   * Only chunks of this script family or without a language (what an extractive reply to a question in that family
   * may quote). Unlike the fields above (collections apart), it also scopes the keyword statistics: the chunks kept
   * are ranked as if the collection held only them. Set by retrieval, only when the collections hold both families.
   */
  scriptFamily?: ScriptFamily;
}

/** The chunk fields a `ChunkFilter` is evaluated on. */
export interface FilterFields {
  collection: string;
  documentId: string;
  sourceType: SourceType;
  product?: string;
  language?: string;
}

/**
 * Whether a chunk passes `filter`, for indexes that evaluate filters themselves (the SQL adapters do the same in
 * SQL): an empty list constrains nothing, except `ticketCollections`, where it keeps no ticket chunks at all; a
 * chunk without a product or language never matches a product or language list.
 */
export function matchesChunkFilter(c: FilterFields, filter: ChunkFilter): boolean {
  const inList = (values: readonly string[] | undefined, v: string | undefined): boolean =>
    !values || values.length === 0 || (v !== undefined && values.includes(v));
  return inList(filter.collections, c.collection) && inList(filter.sourceTypes, c.sourceType) && inList(filter.products, c.product)
    && inList(filter.languages, c.language) && inList(filter.documentIds, c.documentId)
    && (!filter.ticketCollections || c.sourceType !== "ticket" || filter.ticketCollections.includes(c.collection))
    && (!filter.scriptFamily || c.language === undefined || languageScriptFamily(c.language) === filter.scriptFamily);
}

/** Whether `filter` constrains anything at all (an absent or all-empty filter keeps every chunk). */
export function isConstraining(filter: ChunkFilter | undefined): boolean {
  if (!filter) return false;
  const { ticketCollections, scriptFamily, ...lists } = filter;
  return ticketCollections !== undefined || scriptFamily !== undefined || Object.values(lists).some((v) => Array.isArray(v) && v.length > 0);
}
