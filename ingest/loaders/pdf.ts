import type { LoadedDocument } from "../../src/domain/document.js";
import { errorMessage, UnsupportedDocumentError } from "../../src/errors.js";
import { definedOnly, fileLabel, fileNameTitle, firstLineTitle, type LoaderInput, normalizeInline } from "./normalize.js";
import { joinPages, pageLines, removePageFurniture } from "./pdf-text.js";
import { loadPdfParse, restoreNatives, type PdfParseModule } from "./pdf-runtime.js";
import { assertTextWithin, DEFAULT_LOADER_LIMITS, limitError, type LoaderLimits } from "./limits.js";
import { inflatedBytes } from "./pdf-streams.js";

interface ExtractedPdf {
  pages: Array<{ num: number; text: string }>;
  total: number;
  metaTitle: string | undefined;
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
    const text = await parser.getText();
    const meta: unknown = info.info;
    const title = isRecord(meta) && typeof meta["Title"] === "string" ? meta["Title"] : undefined;
    return { pages: text.pages, total: text.total, metaTitle: title };
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
 * PDF via pdf-parse (pdf.js): per-page text with running headers/footers and page numbers removed,
 * hyphenation repaired and wrapped lines joined into paragraphs. One section with `pageStarts` for every page.
 * Title: override, else the PDF's metadata title, else the first line, else the file name.
 * @throws UnsupportedDocumentError "encrypted PDF", "corrupt PDF: ...", "PDF has no extractable text (scanned images?)",
 *   or a limit of `limits` (pages, inflated stream bytes, text characters) exceeded
 */
export async function loadPdf(bytes: Buffer, input: LoaderInput, limits: LoaderLimits = DEFAULT_LOADER_LIMITS): Promise<LoadedDocument> {
  const file = fileLabel(input);
  const pdf = await extract(bytes, file, limits);
  assertTextWithin(file, pdf.pages.reduce((n, p) => n + p.text.length, 0), limits);
  const cleaned = removePageFurniture(pdf.pages.map((p) => pageLines(p.text)));
  const { text, pageStarts } = joinPages(
    cleaned,
    pdf.pages.map((p) => p.num),
  );
  if (text.trim().length === 0) throw new UnsupportedDocumentError(file, "PDF has no extractable text (scanned images?)");
  return definedOnly({
    id: input.id,
    title: input.title ?? usableMetaTitle(pdf.metaTitle) ?? firstLineTitle(text) ?? fileNameTitle(input),
    sourceType: "manual" as const,
    format: "application/pdf",
    sections: [{ path: [], text, pageStarts }],
    sourcePath: input.sourcePath,
    pages: pdf.total,
  });
}
