import { PAGE_BREAK, type Chunk } from "../../src/domain/chunk.js";
import type { BlockKind, LoadedDocument, PageStart, TextBlock } from "../../src/domain/document.js";
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
function pageAt(pageStarts: readonly PageStart[], offset: number): PageStart | undefined {
  let lo = 0;
  let hi = pageStarts.length - 1;
  let found = pageStarts[0];
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const entry = pageStarts[mid];
    if (!entry) break;
    if (entry.offset <= offset) {
      found = entry;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

function pageRange(pageStarts: readonly PageStart[] | undefined, start: number, end: number): Pick<Chunk, "pageStart" | "pageEnd" | "pageLabel"> {
  if (!pageStarts || pageStarts.length === 0) return {};
  const first = pageAt(pageStarts, start);
  // `end` is exclusive: the last character decides the last page.
  const last = pageAt(pageStarts, Math.max(start, end - 1));
  return {
    ...(first !== undefined ? { pageStart: first.page } : {}),
    ...(last !== undefined ? { pageEnd: last.page } : {}),
    ...(first?.label !== undefined ? { pageLabel: first.label } : {}),
  };
}

/**
 * The piece's text with a {@link PAGE_BREAK} where each later page starts inside it, so that a citation can name the
 * page its quoted sentence is on rather than the page the chunk starts on. A page that starts inside a word (a word
 * hyphenated over the page break) is marked at the word's end, never splitting it.
 */
function withPageBreaks(text: string, start: number, pageStarts: readonly PageStart[] | undefined): string {
  let out = "";
  let from = 0;
  let lastPage = pageAt(pageStarts ?? [], start)?.page;
  for (const p of pageStarts ?? []) {
    let at = p.offset - start;
    if (at <= 0 || at >= text.length || p.page === lastPage) continue;
    lastPage = p.page;
    while (at < text.length && !/\s/.test(text[at - 1]!)) at++;
    if (at < from || at >= text.length) continue;
    out += text.slice(from, at) + PAGE_BREAK;
    from = at;
  }
  return out + text.slice(from);
}

/** Precedence when a chunk overlaps several blocks: what a reader most needs to see kept whole. */
const KIND_RANK: Record<TextBlock["kind"], number> = { toc: 4, code: 3, table: 2, list: 1 };

/** The chunk's kind: the highest-ranked block it overlaps, else "prose". */
function blockKindOf(blocks: readonly TextBlock[] | undefined, start: number, end: number): BlockKind {
  let kind: BlockKind = "prose";
  for (const b of blocks ?? []) {
    if (b.start < end && b.end > start && (kind === "prose" || KIND_RANK[b.kind] > KIND_RANK[kind])) kind = b.kind;
  }
  return kind;
}

/** Prose is the default and left implicit (absent `blockKind` reads as "prose"). */
function kindField(kind: BlockKind): Pick<Chunk, "blockKind"> {
  return kind === "prose" ? {} : { blockKind: kind };
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
      ...(section.blocks !== undefined ? { blocks: section.blocks } : {}),
    });
    for (const piece of pieces) {
      const text = withPageBreaks(piece.text, piece.start, section.pageStarts);
      const hash = contentHash(text);
      if (seen.has(hash)) continue;
      seen.add(hash);
      chunks.push({
        id: chunkId(opts.collection, doc.id, hash),
        documentId: doc.id,
        title: doc.title,
        sectionPath: [...section.path],
        ...pageRange(section.pageStarts, piece.start, piece.end),
        ...kindField(blockKindOf(section.blocks, piece.start, piece.end)),
        position: chunks.length,
        text,
        contentHash: hash,
        tokenCount: countTokens(text),
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
