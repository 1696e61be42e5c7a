import { UnsupportedDocumentError } from "../../src/errors.js";

/**
 * Structural limits a loader enforces while it parses, so a hostile file fails fast as bad input instead of
 * exhausting memory, time or the stack. Each maps to a config variable (named in the error message).
 */
export interface LoaderLimits {
  /** Most pages a PDF may have (PARSE_MAX_PAGES). */
  maxPages: number;
  /** Most bytes a PDF's compressed streams may inflate to, all streams together (PARSE_MAX_INFLATED_BYTES). */
  maxInflatedBytes: number;
  /** Most characters of text a file may yield (PARSE_MAX_TEXT_CHARS). */
  maxTextChars: number;
  /** Deepest element nesting accepted in markup (PARSE_MAX_NESTING). */
  maxNesting: number;
}

export const DEFAULT_LOADER_LIMITS: LoaderLimits = {
  maxPages: 5000,
  maxInflatedBytes: 256 * 1024 * 1024,
  maxTextChars: 20_000_000,
  maxNesting: 512,
};

const VARIABLE: Record<keyof LoaderLimits, string> = {
  maxPages: "PARSE_MAX_PAGES",
  maxInflatedBytes: "PARSE_MAX_INFLATED_BYTES",
  maxTextChars: "PARSE_MAX_TEXT_CHARS",
  maxNesting: "PARSE_MAX_NESTING",
};

/**
 * The permanent error for a file over one of the limits: names the file, what was exceeded and the variable that
 * sets it, never the content. 422: the same file will never pass, so it is not retried.
 */
export function limitError(file: string, limit: keyof LoaderLimits, value: number, what: string): UnsupportedDocumentError {
  return new UnsupportedDocumentError(file, `${what} over the limit of ${value} (${VARIABLE[limit]})`, { status: 422 });
}

/** Throws {@link limitError} when a loaded text is longer than `maxTextChars`. */
export function assertTextWithin(file: string, chars: number, limits: LoaderLimits): void {
  if (chars > limits.maxTextChars) throw limitError(file, "maxTextChars", limits.maxTextChars, `text of ${chars} characters is`);
}

/** Whether `err` is V8's stack overflow: input nested deeper than a recursive parser can follow. */
export function isStackOverflow(err: unknown): boolean {
  return err instanceof RangeError && /call stack/i.test(err.message);
}
