import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { gunzipSync } from "node:zlib";
import { PDFDocument } from "pdf-lib";
import type { Engine } from "../../src/container.js";
import type { LoadedDocument } from "../../src/domain/document.js";
import { loadFile } from "../../ingest/loaders/load-file.js";
import { ingestDocuments } from "../../ingest/pipeline.js";
import { markdownToPdf } from "../make-demo-pdf.js";
import { round } from "./stats.js";
import type { SyntheticCorpus } from "./synthetic-corpus.js";

/** Parsing time of one PDF. */
export interface PdfTiming {
  file: string;
  pages: number;
  seconds: number;
  pagesPerSecond: number;
}

/**
 * PDF throughput. `cold` is the first document parsed in the process: it includes importing pdf.js and its
 * one-time warm-up (JIT, font tables), which a long-running service pays once. Everything else is the steady
 * state: every document parsed again after that warm-up, then chunked, embedded, stored and indexed.
 */
export interface PdfResult {
  files: string[];
  /** Pages in the steady-state run (every file once). */
  pages: number;
  chunks: number;
  cold: PdfTiming;
  /** Steady-state parsing per file. */
  perFile: PdfTiming[];
  /** Steady-state parsing alone (pdf-parse, header/footer removal). */
  loadSeconds: number;
  loadPagesPerSecond: number;
  /** Steady state end to end: parsing + chunk → embed → store → index. */
  totalSeconds: number;
  pagesPerSecond: number;
}

/** Real PDFs shipped by Debian packages, when installed (gzipped ones are unpacked in memory). */
export const PDF_CANDIDATES = [
  "/usr/share/debian-reference/debian-reference.en.pdf",
  "/usr/share/doc/debian/FAQ/debian-faq.en.pdf.gz",
  "/usr/share/doc/libtasn1-doc/libtasn1.pdf",
  "/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf",
];

/** Pages of the generated PDF, at least: enough that per-document overhead does not dominate pages/s. */
export const SYNTHETIC_PDF_MIN_PAGES = 200;
/** Characters of Markdown per rendered page (measured on the synthetic corpus with make-demo-pdf's layout). */
const CHARS_PER_PAGE = 2600;

interface PdfInput {
  file: string;
  bytes: Buffer;
}

/**
 * A deterministic manual of at least `minPages` pages: the corpus's first documents, one after another, rendered
 * by make-demo-pdf (running header, page-numbered footers), so the loader's furniture removal is exercised too.
 */
export async function syntheticPdf(corpus: SyntheticCorpus, minPages = SYNTHETIC_PDF_MIN_PAGES): Promise<Buffer> {
  // Start from an estimate of the documents needed and add a tenth more until the page count is reached.
  for (let chars = minPages * CHARS_PER_PAGE; ; chars *= 1.1) {
    const bytes = await markdownToPdf(manualMarkdown(corpus, chars), { header: "Synthetic Product Manual" });
    if ((await PDFDocument.load(bytes)).getPageCount() >= minPages) return Buffer.from(bytes);
  }
}

/** The corpus's first documents, one after another, until `minChars` characters of Markdown. */
function manualMarkdown(corpus: SyntheticCorpus, minChars: number): string {
  const parts: string[] = [];
  for (let i = 0, chars = 0; chars < minChars; i++) {
    // Each document's front matter is metadata for the Markdown loader, not text for a page.
    const markdown = corpus.document(i).markdown.replace(/^---\n[\s\S]*?\n---\n/, "");
    parts.push(markdown);
    chars += markdown.length;
  }
  return parts.join("\n\n");
}

function realPdfs(candidates: readonly string[]): PdfInput[] {
  const inputs: PdfInput[] = [];
  for (const path of candidates) {
    try {
      const raw = readFileSync(path);
      inputs.push({ file: path, bytes: path.endsWith(".gz") ? gunzipSync(raw) : raw });
    } catch {
      // Not installed: the report lists which files were measured.
    }
  }
  return inputs;
}

async function parse(engine: Engine, input: PdfInput): Promise<{ docs: LoadedDocument[]; seconds: number; timing: PdfTiming }> {
  const name = basename(input.file).replace(/\.gz$/, "");
  const t0 = performance.now();
  const docs = await loadFile({ bytes: input.bytes, fileName: name, sourcePath: input.file, id: name }, { maxBytes: engine.config.MAX_FILE_BYTES });
  const seconds = (performance.now() - t0) / 1000;
  const pages = docs.reduce((s, d) => s + (d.pages ?? 0), 0);
  return { docs, seconds, timing: { file: input.file, pages, seconds: round(seconds), pagesPerSecond: round(pages / seconds, 1) } };
}

/**
 * PDF pages/s on the installed real PDFs plus a generated {@link SYNTHETIC_PDF_MIN_PAGES}-page manual. The first
 * document is parsed once cold (the warm-up), then every document is parsed and ingested in the steady state.
 * Must run before anything else in the process parses a PDF, or `cold` is not cold.
 */
export async function benchPdf(engine: Engine, corpus: SyntheticCorpus, candidates: readonly string[] = PDF_CANDIDATES): Promise<PdfResult> {
  const inputs = [...realPdfs(candidates), { file: "synthetic-manual.pdf (generated)", bytes: await syntheticPdf(corpus) }];
  const cold = (await parse(engine, inputs[0]!)).timing;
  const parsed = [];
  for (const input of inputs) parsed.push(await parse(engine, input));
  const loadSeconds = parsed.reduce((s, p) => s + p.seconds, 0);
  const t0 = performance.now();
  let chunks = 0;
  for (const { docs } of parsed) {
    const outcomes = await ingestDocuments({ store: engine.store, embedder: engine.embedder }, docs, engine.ingestSettings("pdf"));
    chunks += outcomes.reduce((s, o) => s + o.chunks, 0);
  }
  await engine.indexes.catchUp();
  const totalSeconds = loadSeconds + (performance.now() - t0) / 1000;
  const pages = parsed.reduce((s, p) => s + p.timing.pages, 0);
  return {
    files: inputs.map((i) => i.file),
    pages,
    chunks,
    cold,
    perFile: parsed.map((p) => p.timing),
    loadSeconds: round(loadSeconds),
    loadPagesPerSecond: round(pages / loadSeconds, 1),
    totalSeconds: round(totalSeconds),
    pagesPerSecond: round(pages / totalSeconds, 1),
  };
}

/** One line for the report: cold first document, then the steady state. */
export function formatPdf(pdf: PdfResult): string {
  const c = pdf.cold;
  return `PDF cold (first document, pdf.js load + warm-up): ${basename(c.file)} ${c.pages} pages in ${c.seconds} s = ${c.pagesPerSecond} pages/s; ` +
    `steady state: ${pdf.pages} pages in ${pdf.perFile.length} files, ${pdf.pagesPerSecond} pages/s end to end (${pdf.loadPagesPerSecond} pages/s parsing)`;
}
