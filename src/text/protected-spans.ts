import type { TextSpan } from "./sentences.js";

/**
 * Parts of a text that must stay whole: URLs ("?", "!" and "." inside them are not sentence ends) and inline code
 * spans. Sentences never end inside them, so citation markers (placed after sentences) are never put inside them.
 * Numbers need no span: ICU never breaks between a "." or "," and the digit after it.
 */

/** A URL runs to the next space or quote; trailing sentence punctuation and closing brackets are not part of it. */
const URL_RE = /\b(?:(?:https?|ftp):\/\/|www\.)[^\s<>"'`]*[^\s<>"'`.,;:!?)\]}】。，！？]/giu;
const CODE_RE = /`[^`\n]+`/g;

/** Code spans: text inside backquotes is code, and "[2]" there is an index, never a citation. */
export function codeSpans(text: string): TextSpan[] {
  return text.includes("`") ? [...text.matchAll(CODE_RE)].map((m) => ({ start: m.index, end: m.index + m[0].length })) : [];
}

/** URL spans ("http://", "https://", "ftp://" or "www."). */
export function urlSpans(text: string): TextSpan[] {
  if (!text.includes("://") && !/www\./i.test(text)) return [];
  return [...text.matchAll(URL_RE)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
}

/** URL and code spans of `text`, merged into disjoint spans sorted by start (a linear merge of two sorted lists). */
export function protectedSpans(text: string): TextSpan[] {
  const a = codeSpans(text);
  const b = urlSpans(text);
  const out: TextSpan[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const next = j >= b.length || (i < a.length && a[i]!.start <= b[j]!.start) ? a[i++]! : b[j++]!;
    const last = out[out.length - 1];
    if (last && next.start < last.end) last.end = Math.max(last.end, next.end);
    else out.push(next);
  }
  return out;
}

/** Whether offset `at` falls strictly inside one of `spans` (a cut there would split it). */
export function insideSpan(spans: readonly TextSpan[], at: number): boolean {
  return spans.some((s) => s.start < at && at < s.end);
}
