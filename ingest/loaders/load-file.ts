import { posix, win32 } from "node:path";
import type { LoadedDocument } from "../../src/domain/document.js";
import { InvalidInputError, UnsupportedDocumentError } from "../../src/errors.js";
import { redactText } from "../../src/assist/redact.js";
import { detectFormat, MAX_FILE_BYTES_DEFAULT } from "./detect-type.js";
import { loadHtml } from "./html.js";
import { loadJsonl } from "./jsonl.js";
import { loadMarkdown } from "./markdown.js";
import { definedOnly, fileLabel, type LoaderInput } from "./normalize.js";
import { loadPdf } from "./pdf.js";
import { loadDocx } from "./docx.js";
import { loadText } from "./text.js";
import { assertTextWithin, DEFAULT_LOADER_LIMITS, isStackOverflow, limitError, type LoaderLimits } from "./limits.js";
import { jsonNestsDeeperThan } from "./json-syntax.js";
import { loadTicketsCsv, loadTicketsJson } from "./tickets.js";

export { MAX_FILE_BYTES_DEFAULT } from "./detect-type.js";

/** A file to load: its bytes and what we know about it. */
export interface LoadFileInput {
  bytes: Buffer;
  /** Name (or relative path) of the file; its extension helps pick the format. */
  fileName: string;
  /** Where the file lives; recorded on the documents and used in error messages. */
  sourcePath?: string;
  /** Document id for single-document formats; derived from the path when absent. */
  id?: string;
  /** Title override for single-document formats. */
  title?: string;
}

export interface LoadFileOptions {
  /** Largest accepted file in bytes (default {@link MAX_FILE_BYTES_DEFAULT}). */
  maxBytes?: number;
  /** Structural limits (pages, inflated bytes, text, nesting); {@link DEFAULT_LOADER_LIMITS} for those not given. */
  limits?: Partial<LoaderLimits>;
}

/**
 * A stable document id from a path: forward slashes, NFC, no leading "/", "./" or drive letter, "." and ".."
 * segments resolved ("./guides\\setup.md" → "guides/setup.md").
 * @throws InvalidInputError when nothing is left of the path.
 */
export function documentIdFromPath(path: string): string {
  const segments: string[] = [];
  const unified = path.normalize("NFC").replace(/\\/g, "/").replace(/^[A-Za-z]:(?=\/|$)/, "");
  for (const segment of unified.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  if (segments.length === 0) throw new InvalidInputError(`cannot derive a document id from path '${redactText(path)}'`);
  return segments.join("/");
}

function defaultId(input: LoadFileInput): string {
  // An absolute source path is machine-specific; the file name (or relative path) given is the stabler id.
  const source = input.sourcePath;
  const usable = source !== undefined && !posix.isAbsolute(source) && !win32.isAbsolute(source);
  return documentIdFromPath(usable ? source : input.fileName);
}

/**
 * Loads one file into documents, choosing the loader by content first and name second (see `detectFormat`).
 * Single-document formats (PDF, Markdown, HTML, text) use `input.id` or an id derived from the path; JSON,
 * JSONL and CSV exports yield one document per record, each with the record's own id.
 * @throws UnsupportedDocumentError naming the file: too large, empty, binary, encrypted/corrupt PDF,
 *   malformed records, no text content, over a structural limit, nested too deeply to parse.
 */
export async function loadFile(input: LoadFileInput, options: LoadFileOptions = {}): Promise<LoadedDocument[]> {
  const file = fileLabel(input);
  try {
    return await loadChecked(input, options);
  } catch (err) {
    // A structure deeper than some recursive parser can follow is bad input: it fails the same way every time.
    if (isStackOverflow(err)) throw new UnsupportedDocumentError(file, "structure is nested too deeply to parse (PARSE_MAX_NESTING)", { cause: err });
    throw err;
  }
}

async function loadChecked(input: LoadFileInput, options: LoadFileOptions): Promise<LoadedDocument[]> {
  const file = fileLabel(input);
  const maxBytes = options.maxBytes ?? MAX_FILE_BYTES_DEFAULT;
  if (input.bytes.length > maxBytes) {
    throw new UnsupportedDocumentError(file, `file is ${input.bytes.length} bytes, over the limit of ${maxBytes}`, {
      status: 413,
    });
  }
  const limits: LoaderLimits = { ...DEFAULT_LOADER_LIMITS, ...options.limits };
  const format = detectFormat(input.bytes, input.fileName, file);
  const loaderInput: LoaderInput = definedOnly({
    fileName: input.fileName,
    sourcePath: input.sourcePath,
    id: input.id ?? defaultId(input),
    title: input.title,
  });
  if (format === "pdf") return [await loadPdf(input.bytes, loaderInput, limits)];
  if (format === "docx") return [await loadDocx(input.bytes, loaderInput, limits)];
  // UTF-8 never has more characters than bytes: only a file this long needs decoding to be measured.
  if (input.bytes.length > limits.maxTextChars) assertTextWithin(file, input.bytes.toString("utf8").length, limits);
  const text = input.bytes.toString("utf8").replace(/^\uFEFF/, "");
  switch (format) {
    case "markdown":
      return [loadMarkdown(text, loaderInput)];
    case "html":
      return [loadHtml(text, loaderInput, limits)];
    case "text":
      return [loadText(text, loaderInput)];
    case "tickets-json":
      assertJsonNestingWithin(file, text, limits, false);
      return loadTicketsJson(text, loaderInput);
    case "tickets-csv":
      return loadTicketsCsv(text, loaderInput);
    case "jsonl":
      assertJsonNestingWithin(file, text, limits, true);
      return loadJsonl(text, loaderInput);
  }
}

function assertJsonNestingWithin(file: string, text: string, limits: LoaderLimits, perLine: boolean): void {
  if (jsonNestsDeeperThan(text, limits.maxNesting, perLine)) throw limitError(file, "maxNesting", limits.maxNesting, "JSON nesting depth");
}
