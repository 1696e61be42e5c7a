import type { LoadedDocument, Section } from "../../src/domain/document.js";
import { UnsupportedDocumentError } from "../../src/errors.js";
import { redactText } from "../../src/assist/redact.js";

/** What every loader needs to know about the file besides its content. */
export interface LoaderInput {
  /** File name (or path) as given; used in error messages when `sourcePath` is absent. */
  fileName: string;
  /** Source file path recorded on the documents (for `ingest --prune`). */
  sourcePath?: string;
  /** Document id for single-document formats. Multi-document formats use each record's own id. */
  id: string;
  /** Title override for single-document formats. */
  title?: string;
}

/** The name errors report for this input, with personal data in it (an e-mail as a file name) redacted. */
export function fileLabel(input: Pick<LoaderInput, "fileName" | "sourcePath">): string {
  return redactText(input.sourcePath ?? input.fileName);
}

// Control characters other than \t and \n carry no meaning in text and confuse tokenisers; \f (form feed)
// separates pages in some text exports, so it becomes a line break instead.
const CONTROL_RE = /[\u0000-\u0008\u000B\u000E-\u001F\u007F]/g;
const CONTROL_TEST = /[\u0000-\u0008\u000B-\u001F\u007F]/;
const NON_ASCII = /[^\u0000-\u007F]/;
const TRAILING_SPACE_TEST = /[ \t\u00A0](?:\n|$)/;

/**
 * Canonical text form shared by all loaders: \n newlines, NFC, no trailing spaces, no control characters,
 * at most one blank line in a row, no leading/trailing blank lines.
 */
export function normalizeText(text: string): string {
  // Each pass runs only when its test matches: bulk loaders (JSONL, tickets) call this per field.
  let out = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (CONTROL_TEST.test(out)) out = out.replace(/\r\n?|\f/g, "\n").replace(CONTROL_RE, "");
  if (NON_ASCII.test(out)) out = out.normalize("NFC");
  if (TRAILING_SPACE_TEST.test(out)) out = out.replace(/[ \t\u00A0]+$/gm, "");
  if (out.includes("\n\n\n")) out = out.replace(/\n{3,}/g, "\n\n");
  if (out.charCodeAt(0) === 10 || out.charCodeAt(out.length - 1) === 10) out = out.replace(/^\n+|\n+$/g, "");
  return out;
}

/** Normalises a one-line value (title, heading): whitespace collapsed, trimmed, NFC. */
export function normalizeInline(text: string): string {
  return text.normalize("NFC").replace(/\s+/g, " ").trim();
}

/**
 * Drops empty sections and rejects a document with no text at all, so nothing empty reaches the chunker.
 * @throws UnsupportedDocumentError "no text content"
 */
export function finalizeDocument(doc: LoadedDocument, file: string): LoadedDocument {
  const sections: Section[] = doc.sections.filter((s) => s.text.trim().length > 0);
  if (sections.length === 0) throw new UnsupportedDocumentError(file, "no text content");
  return { ...doc, sections };
}

/** First non-empty line of `text`, if it is short enough to serve as a title. */
export function firstLineTitle(text: string, maxLength = 100): string | undefined {
  const line = text.split("\n").find((l) => l.trim().length > 0);
  if (line === undefined) return undefined;
  const title = normalizeInline(line);
  return title.length > 0 && title.length < maxLength ? title : undefined;
}

/** Copies only the defined optional fields, so documents carry no `key: undefined` noise. */
export function definedOnly<T extends object>(value: T): T {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(value) as Array<[keyof T, T[keyof T]]>) {
    if (v !== undefined) out[k] = v;
  }
  return out as T;
}

/** Last-resort title: the file's base name. */
export function fileNameTitle(input: Pick<LoaderInput, "fileName">): string {
  return input.fileName.split(/[\\/]/).filter((p) => p.length > 0).pop() ?? input.fileName;
}

/** BCP-47 primary language subtag ("en-US" → "en"), the form language filters and detection use. */
export function languageTag(value: string | undefined): string | undefined {
  const tag = value?.trim().split(/[-_]/)[0]?.toLowerCase();
  return tag && /^[a-z]{2,3}$/.test(tag) ? tag : undefined;
}

/**
 * A table value labelled with its column header ("Model: M5"). A header that already ends in a colon
 * ("Architecture:") is not given a second one ("Architecture:: all").
 */
export function labelled(header: string, value: string): string {
  return `${header.replace(/\s*[:：]\s*$/u, "")}: ${value}`;
}
