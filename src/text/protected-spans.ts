import type { TextSpan } from "./sentences.js";

/**
 * Parts of a text that must stay whole: URLs ("?", "!" and "." inside them are not sentence ends), inline code spans
 * and dotted or grouped numbers. Sentences never end inside them and citation markers are never placed inside them.
 */

/** A URL runs to the next space or quote; trailing sentence punctuation and closing brackets are not part of it. */
const URL_RE = /\b(?:(?:https?|ftp):\/\/|www\.)[^\s<>"'`]*[^\s<>"'`.,;:!?)\]}】。，！？]/giu;
const CODE_RE = /`[^`\n]+`/g;
const NUMBER_RE = /\d+(?:[.,:]\d+)+/g;

/** Protected spans of `text`, sorted by start (overlaps possible). */
export function protectedSpans(text: string): TextSpan[] {
  const spans: TextSpan[] = [];
  if (text.includes("`")) for (const m of text.matchAll(CODE_RE)) spans.push({ start: m.index, end: m.index + m[0].length });
  if (/[:.]/.test(text)) for (const m of text.matchAll(URL_RE)) spans.push({ start: m.index, end: m.index + m[0].length });
  for (const m of text.matchAll(NUMBER_RE)) spans.push({ start: m.index, end: m.index + m[0].length });
  return spans.sort((a, b) => a.start - b.start);
}

/** Whether offset `at` falls strictly inside one of `spans` (a cut there would split it). */
export function insideSpan(spans: readonly TextSpan[], at: number): boolean {
  return spans.some((s) => s.start < at && at < s.end);
}

/** Code spans only: text inside backquotes is code, and "[2]" there is an index, never a citation. */
export function codeSpans(text: string): TextSpan[] {
  return text.includes("`") ? [...text.matchAll(CODE_RE)].map((m) => ({ start: m.index, end: m.index + m[0].length })) : [];
}

/** URL spans only. */
export function urlSpans(text: string): TextSpan[] {
  return [...text.matchAll(URL_RE)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
}
