import { analyze, normalizeText } from "../text/analyzer.js";
import { CJK_CHARS } from "../text/cjk.js";

/**
 * Lexical support measures on the shared analyzer's terms (stems, stop words dropped, CJK words + bigrams), so
 * "supported by the source" means the same thing as "matched by BM25".
 */

/** `[1]`, `[1, 2]`, `【1】`: citation markers are bookkeeping, never content. */
export const MARKER_RE = /[[【]\s*\d+(?:\s*[,，、;]\s*\d+)*\s*[\]】]/gu;

/** Connectives that carry no claim of their own ("Here is how:", "步骤如下：") are at most this many words long. */
const CONNECTOR_MAX_WORDS = 6;
const CONNECTOR_MAX_CJK = 12;
const WORD_RE = new RegExp(String.raw`[${CJK_CHARS}]|[\p{L}\p{N}]+`, "gu");
const CJK_CHAR_RE = new RegExp(`[${CJK_CHARS}]`, "gu");

/** `text` with citation markers replaced by spaces. */
export function stripMarkers(text: string): string {
  return text.replace(MARKER_RE, " ");
}

/** Unique content terms of `text` (citation markers ignored). */
export function contentTerms(text: string): Set<string> {
  return new Set(analyze(stripMarkers(text)));
}

/** Whether `text` is short enough to be a connective such as "Here is how:" or "步骤如下：". */
export function isShortConnector(text: string): boolean {
  const clean = normalizeText(stripMarkers(text));
  const cjk = clean.match(CJK_CHAR_RE)?.length ?? 0;
  if (cjk > 0) return cjk <= CONNECTOR_MAX_CJK;
  const words = clean.match(WORD_RE)?.length ?? 0;
  return words > 0 && words <= CONNECTOR_MAX_WORDS;
}

/**
 * Share (0..1) of the sentence's unique content terms that occur in `sourceTerms`.
 *
 * A sentence without any content term ("It is.", "Yes, you can.") makes no checkable claim: it scores 1 when it is
 * a short connector (≤ 6 words / ≤ 12 CJK characters) so that harmless glue is not flagged, and 0 otherwise (a long
 * run of stop words is not evidence of anything). `terms`: the sentence's content terms, when already known.
 */
export function overlapWithTerms(sentence: string, sourceTerms: ReadonlySet<string>, terms: ReadonlySet<string> = contentTerms(sentence)): number {
  if (terms.size === 0) return isShortConnector(sentence) ? 1 : 0;
  let found = 0;
  for (const t of terms) if (sourceTerms.has(t)) found++;
  return found / terms.size;
}

/** {@link overlapWithTerms} against the terms of `source`. */
export function termOverlap(sentence: string, source: string): number {
  return overlapWithTerms(sentence, contentTerms(source));
}

/**
 * IDF-weighted share (0..1) of `queryTerms` present in `text`. Terms are expected in analyzer form (e.g. from
 * `queryTerms()`); `idf` defaults to 1 for every term; non-positive weights are ignored. Empty query → 0.
 */
export function weightedCoverage(queryTerms: string[], text: string, idf?: (term: string) => number): number {
  const present = contentTerms(text);
  let total = 0;
  let covered = 0;
  for (const term of new Set(queryTerms)) {
    const w = idf ? idf(term) : 1;
    if (!(w > 0)) continue;
    total += w;
    if (present.has(term)) covered += w;
  }
  return total > 0 ? covered / total : 0;
}
