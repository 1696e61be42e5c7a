import { createHash } from "node:crypto";
import type { Chunk } from "../src/domain/chunk.js";
import type { LoadedDocument, StoredDocument } from "../src/domain/document.js";
import type { Embedder } from "../src/ports/embedder.js";
import type { ChunkInput, DocumentRecord, DocumentRepository } from "../src/ports/document-repository.js";
import type { RedactTarget } from "../src/assist/redact-policy.js";
import { redactSection } from "./redact-section.js";
import { storedSourcePath, type DocumentIds } from "../src/assist/document-ids.js";
import { chunkTerms } from "../src/text/chunk-terms.js";
import { detectLanguage } from "../src/text/language.js";
import { chunkDocument } from "./chunking/chunk-document.js";

/**
 * Bumped when chunking, tokenisation or redaction changes, so re-ingest re-processes documents built the old way.
 * 2: PII redaction before chunking (documents stored by version 1 may hold personal data and are rewritten).
 * 4: document structure: PDF outline sections, printed page labels, contents/index pages dropped, code blocks kept
 *    with their lead-in, table rows with their headers (HTML, Markdown, PDF), DOCX.
 * 5: page breaks marked inside PDF chunks (citations give the page of the quoted sentence); bookmarked PDF headings
 *    wrapped at a hyphen found on their page (the text above them no longer opens their section).
 * 6: PDF footnotes out of the running text (after the paragraph they cut, as "Footnote N: ..."), their reference
 *    numbers dropped; HTML with implied end tags, definition terms opening their description, in-page contents lists
 *    dropped.
 * 7: redaction moves page and block offsets with the text (a placeholder shorter than the address used to shift every
 *    later block, cutting chunks inside words); HTML navigation bars and contents lists (DocBook navheader/navfooter,
 *    toc), headings without their permalink sign, DOCX "Preformatted Text" paragraphs as code; Chinese lead-ins
 *    (下列/如下… ending in 。) keep their block; PDF admonition labels open their paragraph ("Tip: …"); brackets after
 *    a CJK full stop stay with their sentence.
 *    Analyzer: English clitics analysed as words ("Debian's" as "debian", "isn't" as "not"; no more one-letter terms
 *    or glued forms such as "isnt", "im"); command-line options as literal terms ("-u", "--purge") beside their words.
 * 8: lead-ins ending in "for example" / "e.g." / "such as" keep their block (also a PDF block at the top of the next
 *    page); sentences never end inside brackets; one admonition list for loader and composer (any case, a colon,
 *    more languages); HTML: DocBook titled sidebars kept, Publican navigation, banners and footnote marks dropped;
 *    plain text: sections from numbered and underlined headings, contents lists dropped, console examples as code,
 *    wrapped paragraphs reflowed; PDF printed from a web page: its Prev/Next bar and detached footnote marks dropped.
 * 9: analyzer reads an irregular simple past as its participle ("broke" as "broken"); PDF line widths in columns (a
 *    CJK character two) so wrapped Chinese lines join without a space; HTML: Texinfo Next/Previous/Up bars dropped,
 *    meta-refresh redirect stubs rejected, the pilcrow after option names dropped.
 * 10: plain text: wrapped and "第 N 章" headings, wrapping contents lists, Chinese lines joined without a space,
 *    hanging-indent list items and wrapped definitions reflowed; HTML/DOCX inline markup in cells and headings
 *    joined to the words around it.
 */
export const PIPELINE_VERSION = 10;

export interface IngestSettings {
  collection: string;
  maxTokens: number;
  overlapTokens: number;
}

export interface IngestDeps {
  store: DocumentRepository;
  embedder: Embedder;
  /** Optional text transform applied before anything is chunked or stored (PII redaction). */
  redact?: TextRedactor;
  /** Maps every document id (and source path segment) to its stored form: ids with personal data become HMACs. */
  documentIds?: DocumentIds;
}

/**
 * Replaces personal data in a text of a document with `target`'s source type and collection (REDACT_POLICY decides
 * the kinds); `total` counts the replacements (kept per document as `redactions`).
 */
export type TextRedactor = (text: string, target: RedactTarget) => { text: string; total: number };

export type IngestStatus = "unchanged" | "added" | "updated";

export interface IngestOutcome {
  documentId: string;
  status: IngestStatus;
  chunks: number;
  /** Chunks whose vectors had to be computed (unchanged chunks reuse stored vectors). */
  embedded: number;
  pages: number;
}

/** One document prepared for writing: its chunks and which of them still need vectors. */
interface Plan {
  doc: LoadedDocument;
  record: DocumentRecord;
  chunks: Chunk[];
  known: Map<string, Float32Array>;
  existed: boolean;
}

/**
 * Ingests documents idempotently: unchanged content (same hash of text, metadata, settings and embedder) is a
 * no-op; changed content replaces exactly that document's chunks, re-embedding only chunks whose text is new.
 * Vectors for several documents are requested together so remote embedders get full batches.
 */
export async function ingestDocuments(
  deps: IngestDeps,
  docs: readonly LoadedDocument[],
  settings: IngestSettings,
  batchChunks = 256,
): Promise<IngestOutcome[]> {
  const outcomes: IngestOutcome[] = [];
  let pending: Plan[] = [];
  let pendingNew = 0;
  const flush = async (): Promise<void> => {
    outcomes.push(...(await writePlans(deps, pending)));
    pending = [];
    pendingNew = 0;
  };
  for (const raw of docs) {
    const { doc, record } = prepareDocument(raw, settings, deps.embedder.id, deps.redact, deps.documentIds);
    const existing = await deps.store.getDocument(record.collection, doc.id);
    if (isUnchanged(existing, record)) {
      outcomes.push(unchangedOutcome(existing, record));
      continue;
    }
    const chunks = chunkDocument(doc, settings);
    const known = existing ? await deps.store.existingVectors(record.collection, doc.id) : new Map<string, Float32Array>();
    pending.push({ doc, record, chunks, known, existed: existing !== undefined });
    pendingNew += chunks.filter((c) => !known.has(c.contentHash)).length;
    if (pendingNew >= batchChunks) await flush();
  }
  await flush();
  return outcomes;
}

async function writePlans(deps: IngestDeps, plans: Plan[]): Promise<IngestOutcome[]> {
  const missing: Chunk[] = [];
  for (const p of plans) for (const c of p.chunks) if (!p.known.has(c.contentHash)) missing.push(c);
  const vectors = await deps.embedder.embedDocuments(missing.map(embeddingText));
  const fresh = new Map<Chunk, Float32Array>();
  missing.forEach((c, i) => fresh.set(c, vectors[i]!));
  const outcomes: IngestOutcome[] = [];
  for (const p of plans) {
    const inputs: ChunkInput[] = p.chunks.map((chunk) => ({
      chunk,
      ...chunkTerms(chunk),
      vector: p.known.get(chunk.contentHash) ?? fresh.get(chunk)!,
    }));
    await deps.store.replaceDocument(p.record, inputs);
    const embedded = p.chunks.filter((c) => fresh.has(c)).length;
    outcomes.push({ documentId: p.doc.id, status: p.existed ? "updated" : "added", chunks: inputs.length, embedded, pages: p.doc.pages ?? 0 });
  }
  return outcomes;
}

/** A loaded document after redaction and language detection, and the record (with content hash) it is stored as. */
export interface PreparedDocument {
  doc: LoadedDocument;
  record: DocumentRecord;
}

/**
 * The first step for every document, in-process or in an ingest worker: map its id to the stored one and redact
 * (when `documentIds` / `redact` are given) before anything is hashed, chunked or stored, detect the language, and
 * build the record.
 */
export function prepareDocument(
  raw: LoadedDocument,
  settings: IngestSettings,
  embedderId: string,
  redact?: TextRedactor,
  documentIds?: DocumentIds,
): PreparedDocument {
  const mapped = documentIds ? withStoredIds(raw, documentIds) : raw;
  const redacted = redact ? redactDocument(mapped, redact, settings.collection) : { doc: mapped, redactions: undefined };
  const doc = withLanguage(redacted.doc);
  return { doc, record: toRecord(doc, settings, embedderId, redacted.redactions) };
}

/** Whether the store already holds exactly this content in this collection, making re-ingest a no-op. */
export function isUnchanged(existing: StoredDocument | undefined, record: DocumentRecord): existing is StoredDocument {
  return existing !== undefined && existing.status === "ready" && existing.contentHash === record.contentHash && existing.collection === record.collection;
}

/** The outcome reported for a document whose content is already stored. */
export function unchangedOutcome(existing: StoredDocument, record: DocumentRecord): IngestOutcome {
  return { documentId: record.id, status: "unchanged", chunks: existing.chunkCount, embedded: 0, pages: record.pages ?? 0 };
}

/** What the embedder sees: the chunk with its title and section path, so context-free passages still match. */
export function embeddingText(chunk: Chunk): string {
  const heading = [chunk.title, ...chunk.sectionPath.filter((s) => s !== chunk.title)].join(" > ");
  return heading ? `${heading}\n${chunk.text}` : chunk.text;
}

function withStoredIds(doc: LoadedDocument, ids: DocumentIds): LoadedDocument {
  const id = ids.toStored(doc.id);
  const sourcePath = doc.sourcePath === undefined ? undefined : storedSourcePath(doc.sourcePath, ids);
  return { ...doc, id, ...(sourcePath !== undefined ? { sourcePath } : {}) };
}

function withLanguage(doc: LoadedDocument): LoadedDocument {
  if (doc.language) return doc;
  return { ...doc, language: detectLanguage(`${doc.title}\n${doc.sections.map((s) => s.text).join("\n")}`.slice(0, 2000)) };
}

function toRecord(doc: LoadedDocument, settings: IngestSettings, embedderId: string, redactions: number | undefined): DocumentRecord {
  const language = doc.language;
  const contentHash = createHash("sha256")
    .update(
      JSON.stringify({
        v: PIPELINE_VERSION,
        embedderId,
        maxTokens: settings.maxTokens,
        overlapTokens: settings.overlapTokens,
        title: doc.title,
        sections: doc.sections,
        meta: [doc.sourceType, doc.format, doc.product, language, doc.url, doc.ticket],
      }),
    )
    .digest("hex");
  return {
    id: doc.id,
    title: doc.title,
    collection: settings.collection,
    sourceType: doc.sourceType,
    format: doc.format,
    contentHash,
    ...(doc.product !== undefined ? { product: doc.product } : {}),
    ...(language !== undefined ? { language } : {}),
    ...(doc.url !== undefined ? { url: doc.url } : {}),
    ...(doc.sourcePath !== undefined ? { sourcePath: doc.sourcePath } : {}),
    ...(doc.pages !== undefined ? { pages: doc.pages } : {}),
    ...(doc.ticket !== undefined ? { ticket: doc.ticket } : {}),
    ...(redactions !== undefined ? { redactions } : {}),
  };
}

/**
 * Redacts every text field a document carries (title, section headings and text, URL, product, ticket subject,
 * category, status, date, resolution, tags) with the policy for its source type and collection, and counts.
 */
function redactDocument(doc: LoadedDocument, redact: TextRedactor, collection: string): { doc: LoadedDocument; redactions: number } {
  let redactions = 0;
  const target = { sourceType: doc.sourceType, collection };
  const r = (text: string): string => {
    const out = redact(text, target);
    redactions += out.total;
    return out.text;
  };
  const opt = <K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> =>
    (value === undefined ? {} : { [key]: r(value) }) as Partial<Record<K, string>>;
  const ticket = doc.ticket;
  const redacted: LoadedDocument = {
    ...doc,
    title: r(doc.title),
    sections: doc.sections.map((s) => {
      // Offsets into the text (pages, blocks) move with it: a placeholder is rarely as long as what it replaces.
      const out = redactSection({ ...s, path: s.path.map(r) }, (text) => redact(text, target));
      redactions += out.total;
      return out.section;
    }),
    ...opt("url", doc.url),
    ...opt("product", doc.product),
    ...(ticket
      ? {
          ticket: {
            ...ticket,
            subject: r(ticket.subject),
            ...opt("resolution", ticket.resolution),
            ...opt("category", ticket.category),
            ...opt("status", ticket.status),
            ...opt("createdAt", ticket.createdAt),
            ...(ticket.tags !== undefined ? { tags: ticket.tags.map(r) } : {}),
          },
        }
      : {}),
  };
  return { doc: redacted, redactions };
}

/** What the ingesting process decides for one loaded document before its chunks are prepared elsewhere. */
export type WriteDecision = { outcome: IngestOutcome } | { known: Map<string, Float32Array>; existed: boolean };

/** Unchanged (its outcome), or the vectors already stored for its chunk hashes (re-embedding only what changed). */
export async function decideDocument(store: Pick<DocumentRepository, "getDocument" | "existingVectors">, record: DocumentRecord): Promise<WriteDecision> {
  const existing = await store.getDocument(record.collection, record.id);
  if (isUnchanged(existing, record)) return { outcome: unchangedOutcome(existing, record) };
  return { known: existing ? await store.existingVectors(record.collection, record.id) : new Map<string, Float32Array>(), existed: existing !== undefined };
}

/** Writes one document prepared elsewhere (a parse child, a worker): makes `inputs` its chunks. */
export async function writePreparedDocument(store: Pick<DocumentRepository, "replaceDocument">, record: DocumentRecord, inputs: ChunkInput[], existed: boolean, embedded: number): Promise<IngestOutcome> {
  await store.replaceDocument(record, inputs);
  return preparedOutcome(record, inputs, existed, embedded);
}

/** The outcome of writing a prepared document (written alone or in a batch). */
export function preparedOutcome(record: DocumentRecord, inputs: readonly ChunkInput[], existed: boolean, embedded: number): IngestOutcome {
  return { documentId: record.id, status: existed ? "updated" : "added", chunks: inputs.length, embedded, pages: record.pages ?? 0 };
}
