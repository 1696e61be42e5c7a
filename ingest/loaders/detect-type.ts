import { isUtf8 } from "node:buffer";
import { UnsupportedDocumentError } from "../../src/errors.js";

/** The loader a file goes to. */
export type DetectedFormat = "pdf" | "docx" | "markdown" | "html" | "text" | "tickets-json" | "tickets-csv" | "jsonl";

/** Default upper bound on one file's size (bytes). */
export const MAX_FILE_BYTES_DEFAULT = 50 * 1024 * 1024;

interface Magic {
  bytes: number[];
  offset?: number;
  what: string;
}

// Signatures of formats we are most likely to be handed by mistake, used to say what a rejected binary is.
const BINARY_MAGIC: Magic[] = [
  { bytes: [0x7f, 0x45, 0x4c, 0x46], what: "ELF executable" },
  { bytes: [0x4d, 0x5a], what: "Windows executable (PE/MZ)" },
  { bytes: [0xfe, 0xed, 0xfa, 0xce], what: "Mach-O executable" },
  { bytes: [0xfe, 0xed, 0xfa, 0xcf], what: "Mach-O executable" },
  { bytes: [0xce, 0xfa, 0xed, 0xfe], what: "Mach-O executable" },
  { bytes: [0xcf, 0xfa, 0xed, 0xfe], what: "Mach-O executable" },
  { bytes: [0xca, 0xfe, 0xba, 0xbe], what: "Mach-O universal binary or Java class" },
  { bytes: [0x00, 0x61, 0x73, 0x6d], what: "WebAssembly module" },
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: "zip archive (or DOCX/XLSX/EPUB)" },
  { bytes: [0x50, 0x4b, 0x05, 0x06], what: "zip archive (empty)" },
  { bytes: [0x1f, 0x8b], what: "gzip archive" },
  { bytes: [0x42, 0x5a, 0x68], what: "bzip2 archive" },
  { bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], what: "xz archive" },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], what: "7-Zip archive" },
  { bytes: [0x52, 0x61, 0x72, 0x21], what: "RAR archive" },
  { bytes: [0x28, 0xb5, 0x2f, 0xfd], what: "zstd archive" },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], what: "legacy Office document (OLE2 .doc/.xls/.ppt)" },
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: "PNG image" },
  { bytes: [0xff, 0xd8, 0xff], what: "JPEG image" },
  { bytes: [0x47, 0x49, 0x46, 0x38], what: "GIF image" },
  { bytes: [0x49, 0x49, 0x2a, 0x00], what: "TIFF image" },
  { bytes: [0x4d, 0x4d, 0x00, 0x2a], what: "TIFF image" },
  { bytes: [0x52, 0x49, 0x46, 0x46], what: "RIFF media (WebP/WAV/AVI)" },
  { bytes: [0x66, 0x74, 0x79, 0x70], offset: 4, what: "MP4/MOV/HEIC media" },
  { bytes: [0x49, 0x44, 0x33], what: "MP3 audio" },
  { bytes: [0x4f, 0x67, 0x67, 0x53], what: "Ogg media" },
  { bytes: [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65, 0x20, 0x66], what: "SQLite database" },
];

const PDF_MAGIC = Buffer.from("%PDF-", "latin1");
// The PDF spec lets readers find the header within the first 1024 bytes (some generators prepend junk); that
// leeway is given only to files named .pdf: a text file that merely mentions "%PDF-" near its start stays text.
const PDF_HEADER_WINDOW = 1024;

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const DOCX_PART = Buffer.from("word/document.xml", "latin1");
const CONTENT_TYPES = Buffer.from("[Content_Types].xml", "latin1");

const EXTENSIONS: Record<string, DetectedFormat> = {
  pdf: "pdf",
  docx: "docx",
  md: "markdown",
  markdown: "markdown",
  mdown: "markdown",
  mkd: "markdown",
  html: "html",
  htm: "html",
  xhtml: "html",
  txt: "text",
  text: "text",
  json: "tickets-json",
  jsonl: "jsonl",
  ndjson: "jsonl",
  csv: "tickets-csv",
};

function matches(bytes: Buffer, magic: Magic): boolean {
  const offset = magic.offset ?? 0;
  if (bytes.length < offset + magic.bytes.length) return false;
  return magic.bytes.every((b, i) => bytes[offset + i] === b);
}

function isWhitespaceOnly(bytes: Buffer): boolean {
  for (const b of bytes) {
    // space, \t, \n, \v, \f, \r, and the bytes of a UTF-8 BOM
    if (b !== 0x20 && (b < 0x09 || b > 0x0d) && b !== 0xef && b !== 0xbb && b !== 0xbf) return false;
  }
  return true;
}

function extensionOf(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? "";
  const dot = base.lastIndexOf(".");
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : "";
}

/** What a binary file looks like, or undefined when it may be text. */
export function describeBinary(bytes: Buffer): string | undefined {
  const hasNul = bytes.includes(0);
  // Several signatures are printable ASCII ("MZ", "BZh", "RIFF"), so clean UTF-8 text is never called binary.
  if (!hasNul && isUtf8(bytes)) return undefined;
  const magic = BINARY_MAGIC.find((m) => matches(bytes, m));
  if (magic) return magic.what;
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return "UTF-16 text (convert it to UTF-8)";
  }
  return hasNul ? "contains NUL bytes" : "not valid UTF-8 text";
}

/** Whether the content is a PDF: `%PDF-` as its first bytes, or within the first KiB for a file named .pdf. */
function isPdf(bytes: Buffer, ext: string): boolean {
  if (bytes.subarray(0, PDF_MAGIC.length).equals(PDF_MAGIC)) return true;
  return ext === "pdf" && bytes.subarray(0, PDF_HEADER_WINDOW).indexOf(PDF_MAGIC) >= 0;
}

/**
 * Whether the content is a Word document: a zip (PK magic) naming word/document.xml, or, for a file named .docx whose
 * head alone is seen (an upload), naming [Content_Types].xml. The DOCX loader checks the whole archive again.
 */
function isDocx(bytes: Buffer, ext: string): boolean {
  if (!bytes.subarray(0, ZIP_MAGIC.length).equals(ZIP_MAGIC)) return false;
  return bytes.indexOf(DOCX_PART) >= 0 || (ext === "docx" && bytes.indexOf(CONTENT_TYPES) >= 0);
}

/**
 * Decides which loader handles a file. Content wins over the name: a file starting with PDF magic is a PDF whatever
 * the extension, and binaries are rejected even when named like text. Text formats are chosen by extension,
 * or by sniffing the content when the extension is missing or unknown.
 * @param label name used in errors (defaults to `fileName`)
 * @throws UnsupportedDocumentError for empty, binary, non-UTF-8 files and `.pdf` files without PDF magic.
 */
export function detectFormat(bytes: Buffer, fileName: string, label: string = fileName): DetectedFormat {
  return detect(bytes, fileName, label, true);
}

function detect(bytes: Buffer, fileName: string, label: string, whole: boolean): DetectedFormat {
  if (whole && isWhitespaceOnly(bytes)) throw new UnsupportedDocumentError(label, "empty file");
  const ext = extensionOf(fileName);
  if (isPdf(bytes, ext)) return "pdf";
  if (isDocx(bytes, ext)) return "docx";
  const binary = describeBinary(bytes);
  if (binary !== undefined) {
    const suffix = ext === "pdf" ? ", not a PDF" : "";
    throw new UnsupportedDocumentError(label, `binary file (${binary})${suffix}`);
  }
  if (ext === "pdf") throw new UnsupportedDocumentError(label, "not a PDF (content does not start with %PDF-)");
  const byName = EXTENSIONS[ext];
  const head = (): string => bytes.subarray(0, 64 * 1024).toString("utf8");
  // Ticket exports named .json are often JSON Lines.
  if (byName === "tickets-json") return looksLikeJsonLines(head().replace(/^\uFEFF/, "").trimStart()) ? "jsonl" : byName;
  return byName ?? sniffTextFormat(head());
}

/**
 * {@link detectFormat} from the first bytes of a file of `size` bytes (an upload on disk is not read whole): a UTF-8
 * sequence cut at the end of the head is not held against it, and whitespace is "empty" only when it is the whole file.
 * The loader checks the whole content again when it parses the file.
 */
export function detectFormatOfHead(head: Buffer, size: number, fileName: string, label: string = fileName): DetectedFormat {
  if (head.length >= size) return detect(head, fileName, label, true);
  return detect(head.subarray(0, completeUtf8Length(head)), fileName, label, false);
}

/** Length of `bytes` without a multi-byte UTF-8 sequence cut off at its end. */
function completeUtf8Length(bytes: Buffer): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const b = bytes[bytes.length - back]!;
    if ((b & 0xc0) === 0x80) continue;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? bytes.length - back : bytes.length;
  }
  return bytes.length;
}

/** Guesses a text format from the start of the content. */
export function sniffTextFormat(head: string): DetectedFormat {
  const text = head.replace(/^\uFEFF/, "").trimStart();
  const lower = text.slice(0, 512).toLowerCase();
  if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<!doctype html|^<html[\s>]/.test(lower)) return "html";
  if (text.startsWith("[")) return "tickets-json";
  if (text.startsWith("{")) return looksLikeJsonLines(text) ? "jsonl" : "tickets-json";
  if (/^---\r?\n[\s\S]*?\r?\n(---|\.\.\.)\r?\n/.test(text) || /^ {0,3}#{1,6}[ \t]+\S/m.test(text)) return "markdown";
  return "text";
}

/** At least two lines, each a JSON object (a one-line file is more likely a plain JSON document). */
function looksLikeJsonLines(text: string): boolean {
  if (!text.startsWith("{")) return false;
  const lines = text.split(/\r?\n/).filter((l) => l.trim().length > 0);
  if (lines.length < 2) return false;
  // The last line of a 64 KiB head may be cut off, so only complete lines are checked.
  const complete = lines.slice(0, Math.min(lines.length - 1, 5));
  return complete.every((line) => {
    try {
      const value: unknown = JSON.parse(line);
      return typeof value === "object" && value !== null && !Array.isArray(value);
    } catch {
      return false;
    }
  });
}
