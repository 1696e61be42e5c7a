import type { LoadedDocument } from "../../src/domain/document.js";
import { errorMessage, UnsupportedDocumentError } from "../../src/errors.js";
import { definedOnly, fileLabel, fileNameTitle, firstLineTitle, type LoaderInput, normalizeInline } from "./normalize.js";
import { loadPdfParse, restoreNatives, type PdfParseModule } from "./pdf-runtime.js";
import { layoutLines, type PdfLine } from "./pdf-layout.js";
import { type OutlineEntry, type PdfDocumentProxy, readOutline, readPageLabels } from "./pdf-outline.js";
import { typePages } from "./pdf-pages.js";
import { buildPdfSections } from "./pdf-sections.js";
import { assertTextWithin, DEFAULT_LOADER_LIMITS, limitError, type LoaderLimits } from "./limits.js";
import { inflatedBytes } from "./pdf-streams.js";

interface ExtractedPdf {
  pages: PdfLine[][];
  total: number;
  metaTitle: string | undefined;
  outline: OutlineEntry[];
  labels: string[] | undefined;
}

/** pdf-parse keeps its pdf.js document behind `load()` (not in its typings); outline, labels and layout need it. */
function pdfDocument(parser: unknown): Promise<PdfDocumentProxy> {
  return (parser as { load(): Promise<PdfDocumentProxy> }).load();
}

/** Every page's lines, counting characters as they come so an over-long text stops early. */
async function readPages(doc: PdfDocumentProxy, file: string, limits: LoaderLimits): Promise<PdfLine[][]> {
  const pages: PdfLine[][] = [];
  let chars = 0;
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const lines = layoutLines(await page.getTextContent());
    page.cleanup();
    chars += lines.reduce((sum, l) => sum + l.text.length + 1, 0);
    assertTextWithin(file, chars, limits);
    pages.push(lines);
  }
  return pages;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function pdfError(err: unknown, file: string, lib: PdfParseModule): UnsupportedDocumentError {
  if (err instanceof lib.PasswordException || (err instanceof Error && err.name === "PasswordException")) {
    return new UnsupportedDocumentError(file, "encrypted PDF", { cause: err });
  }
  return new UnsupportedDocumentError(file, `corrupt PDF: ${errorMessage(err)}`, { cause: err });
}

async function extract(bytes: Buffer, file: string, limits: LoaderLimits): Promise<ExtractedPdf> {
  // Counted before pdf.js inflates anything: it would hold a flate bomb's output whole in memory.
  if (inflatedBytes(bytes, limits.maxInflatedBytes) > limits.maxInflatedBytes) {
    throw limitError(file, "maxInflatedBytes", limits.maxInflatedBytes, "compressed streams inflate to");
  }
  const lib = await loadPdfParse();
  // pdf.js may detach the buffer it is given, so it gets a copy rather than the caller's bytes.
  const parser = new lib.PDFParse({ data: new Uint8Array(bytes), verbosity: lib.VerbosityLevel.ERRORS });
  try {
    const info = await parser.getInfo();
    if (info.total > limits.maxPages) throw limitError(file, "maxPages", limits.maxPages, `${info.total} pages are`);
    const doc = await pdfDocument(parser);
    const pages = await readPages(doc, file, limits);
    const meta: unknown = info.info;
    const title = isRecord(meta) && typeof meta["Title"] === "string" ? meta["Title"] : undefined;
    return { pages, total: info.total, metaTitle: title, outline: await readOutline(doc), labels: await readPageLabels(doc) };
  } catch (err) {
    if (err instanceof UnsupportedDocumentError) throw err;
    throw pdfError(err, file, lib);
  } finally {
    await parser.destroy().catch(() => undefined);
    restoreNatives();
  }
}

/** Metadata titles are often junk left by the authoring tool ("Microsoft Word - draft3.docx", "untitled"). */
function usableMetaTitle(raw: string | undefined): string | undefined {
  const title = normalizeInline(raw ?? "").replace(/^Microsoft (?:Word|PowerPoint|Excel) - /i, "");
  if (title.length === 0 || /^untitled\b/i.test(title) || /\.(?:docx?|pdf|indd|pptx?|odt|rtf|txt)$/i.test(title)) {
    return undefined;
  }
  return title;
}

/**
 * PDF via pdf.js (through pdf-parse): lines from each page's text layout; table-of-contents, index and list-of-tables
 * pages dropped (never stored, so never cited); running headers/footers and page numbers removed; sections from the
 * outline (bookmarks), else from numbered or larger-font headings; printed page labels kept on `pageStarts`;
 * monospace lines kept verbatim as code blocks attached to the sentence introducing them; aligned multi-column runs
 * as table rows each carrying its header cells; hyphenation repaired and wrapped lines joined into paragraphs.
 * Title: override, else the PDF's metadata title, else the first line, else the file name.
 * @throws UnsupportedDocumentError "encrypted PDF", "corrupt PDF: ...", "PDF has no extractable text (scanned images?)",
 *   or a limit of `limits` (pages, inflated stream bytes, text characters) exceeded
 */
export async function loadPdf(bytes: Buffer, input: LoaderInput, limits: LoaderLimits = DEFAULT_LOADER_LIMITS): Promise<LoadedDocument> {
  const file = fileLabel(input);
  const pdf = await extract(bytes, file, limits);
  const typed = typePages(pdf.pages, pdf.outline, pdf.labels);
  const sections = buildPdfSections(typed);
  if (sections.length === 0) throw new UnsupportedDocumentError(file, "PDF has no extractable text (scanned images?)");
  const first = typed.flatMap((p) => p.lines)[0];
  const firstLine = first && first.kind !== "row" ? first.text : sections[0]!.text;
  return definedOnly({
    id: input.id,
    title: input.title ?? usableMetaTitle(pdf.metaTitle) ?? firstLineTitle(firstLine) ?? fileNameTitle(input),
    sourceType: "manual" as const,
    format: "application/pdf",
    sections,
    sourcePath: input.sourcePath,
    pages: pdf.total,
  });
}
