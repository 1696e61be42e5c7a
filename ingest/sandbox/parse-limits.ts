import type { Config } from "../../src/config.js";
import { UnsupportedDocumentError } from "../../src/errors.js";
import type { LoaderLimits } from "../loaders/limits.js";

/** Everything the parse sandbox bounds: the child process's resources and the loaders' structural limits. */
export interface ParseLimits extends LoaderLimits {
  /** Wall time for one file, load to last chunk (PARSE_TIMEOUT_MS). */
  timeoutMs: number;
  /** V8 old-space cap of the child (PARSE_MAX_HEAP_MB). */
  maxHeapMb: number;
  /** Resident size past which the child is killed (PARSE_MAX_RSS_MB): also counts ArrayBuffers the heap cap misses. */
  maxRssMb: number;
}

/** The limits the config sets. */
export function parseLimitsFrom(config: Pick<Config, "PARSE_TIMEOUT_MS" | "PARSE_MAX_HEAP_MB" | "PARSE_MAX_RSS_MB" | "PARSE_MAX_PAGES" | "PARSE_MAX_INFLATED_BYTES" | "PARSE_MAX_TEXT_CHARS" | "PARSE_MAX_NESTING">): ParseLimits {
  return {
    timeoutMs: config.PARSE_TIMEOUT_MS,
    maxHeapMb: config.PARSE_MAX_HEAP_MB,
    maxRssMb: config.PARSE_MAX_RSS_MB,
    maxPages: config.PARSE_MAX_PAGES,
    maxInflatedBytes: config.PARSE_MAX_INFLATED_BYTES,
    maxTextChars: config.PARSE_MAX_TEXT_CHARS,
    maxNesting: config.PARSE_MAX_NESTING,
  };
}

/** Just the loaders' part (what crosses into the child). */
export function loaderLimits(limits: ParseLimits): LoaderLimits {
  return { maxPages: limits.maxPages, maxInflatedBytes: limits.maxInflatedBytes, maxTextChars: limits.maxTextChars, maxNesting: limits.maxNesting };
}

/** A parse the sandbox stopped or that died: permanent (422), naming the file and what happened, never content. */
export function sandboxError(file: string, reason: string): UnsupportedDocumentError {
  return new UnsupportedDocumentError(file, reason, { status: 422 });
}
