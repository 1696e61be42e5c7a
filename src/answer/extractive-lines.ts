import { CJK_CHARS } from "../text/cjk.js";
import { EXAMPLE_END, PRESENTING_SENTENCE } from "../text/lead-outs.js";
import { startsWithListMarker } from "../text/sentences.js";

/**
 * Lines of an extractive source: what a line is (a heading, a table row, a lead-out promising what follows), how
 * long it is, and how the sentence splitter's spans are repaired for text laid out by PDFs and code blocks.
 */

export const ROW_RE = /^\s*\|/;
/**
 * Lines that point at an answer but never are one: a FAQ heading ("HOW DO I PUT A PACKAGE ON HOLD?"), a line in
 * capitals, a table-of-contents line with dot leaders or a trailing page number, a numbered heading ("6.3.3 Remote
 * logins") without closing punctuation.
 */
const QUESTION_LINE_RE = /[?？]\s*$/u;
const TOC_LINE_RE = /(?:\.\s*){4,}|…{2,}|(?:\s\.){3,}|\S\s{2,}\d{1,4}\s*$/u;
const NUMBERED_HEADING_RE = /^\s*\d{1,3}(?:\.\d{1,3})+\.?\s+[\p{Lu}\p{Lt}][^.!?。！？:：]*$/u;
/** Most words of a line that can be a heading. */
const HEADING_MAX_WORDS = 15;

/** True for heading-like lines (see above): selected never on their own, and never quoted. */
export function isHeadingLine(body: string, words: number): boolean {
  if (words > HEADING_MAX_WORDS) return TOC_LINE_RE.test(body);
  const letters = body.replace(/[^\p{L}]/gu, "");
  const capitals = letters.length >= 8 && letters === letters.toUpperCase() && letters !== letters.toLowerCase();
  return QUESTION_LINE_RE.test(body) || capitals || TOC_LINE_RE.test(body) || NUMBERED_HEADING_RE.test(body);
}

/** What closes a sentence, a clause or a lead-in at a line's end (a `[...]` class fragment; the `u` flag). */
export const CLOSING_PUNCT = String.raw`.!?。！？;；:：,，、)）\]"”'`;

const CJK_CHAR_RE = new RegExp(`[${CJK_CHARS}]`, "gu");
const LATIN_WORD_RE = /[\p{L}\p{N}]+/gu;

/** Rough word count: Latin words, plus half a word per CJK character. */
export function wordCount(text: string): number {
  const cjk = text.match(CJK_CHAR_RE)?.length ?? 0;
  const latin = text.replace(CJK_CHAR_RE, " ").match(LATIN_WORD_RE)?.length ?? 0;
  return latin + Math.ceil(cjk / 2);
}

/**
 * A sentence promising what follows ("…as follows:", "You can change it by the following.", "…remove the hold with"
 * ending without punctuation before a command line; "使用下列命令来配置…。", "按如下方法…。": 下列/以下/如下/下面 a few
 * characters before the end of the sentence, as "the following" in English); one ending on "for example", "e.g.",
 * "such as" before the example, or presenting it ("Here is an example for a dhcp.conf…"), see src/text/lead-outs.ts.
 * Not a reference in brackets ("…a boot loader (see Section 4.5.4 below)."): it points elsewhere, not at what follows.
 */
export const LEAD_OUT_END_RE = new RegExp(
  String.raw`(?:[:：]|\b(?:the\s+following|as\s+follows|below)\b[^.!?)）]{0,20}[.:]?|\b(?:run|execute|type|enter)(?:\s+the\s+command)?|\b(?:with|using)|(?:下列|以下|如下|下面)[^。！？!?；;：:]{0,24}[：:。]?|${EXAMPLE_END}|${PRESENTING_SENTENCE})\s*$`,
  "iu",
);

/** Fewest words of a line that can be the first half of a sentence a blank line or page break cut in two. */
const BROKEN_MIN_WORDS = 6;
/** Ends like the middle of a sentence: a lower-case word or a comma. */
const OPEN_PROSE_END_RE = /[\p{Ll},]\s*$/u;
/** A last word that never ends an English sentence: what follows a break after it continues the sentence. */
const MID_SENTENCE_END_RE = /\b(?:a|an|the|of|to|and|or|but|not|for|with|in|on|at|by|as|than|that|which|like|such|is|are|was|be|can|will|may|must|should|from|into|its|their|your|this|these)\s*$/iu;
/** A whole sentence (closing punctuation), not a command or code line. */
const CLOSED_PROSE_RE = /^[^#$>/|•\-*\s][\s\S]*[.!?]["”')]?$/u;

/**
 * A PDF page break or a box's blank line can fall inside a sentence ("…unless a weak hashing algorithm like" / "DES or
 * MD5 is used…"); split there, the first half would be quoted as a sentence of its own and the fact after the break
 * lost. Two spans are one sentence when only whitespace separates them, the first is prose that stops mid-sentence
 * (a lower-case word or a comma, at least {@link BROKEN_MIN_WORDS} words, not a heading, list item, or a lead-out
 * introducing a command) and the second ends as a sentence does and starts in lower case or after a word no sentence
 * ends on ("like", "the", "not"). Not for CJK text: it has no lower-case ends.
 */
export function rejoinBroken(text: string, spans: ReadonlyArray<{ start: number; end: number }>): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  for (const span of spans) {
    const prev = out[out.length - 1];
    if (prev && /^\s*$/.test(text.slice(prev.end, span.start)) && continues(text.slice(prev.start, prev.end), text.slice(span.start, span.end))) prev.end = span.end;
    else out.push({ ...span });
  }
  return out;
}

function continues(first: string, second: string): boolean {
  const words = wordCount(first);
  if (words < BROKEN_MIN_WORDS || !OPEN_PROSE_END_RE.test(first)) return false;
  if (startsWithListMarker(first) || ROW_RE.test(first) || LEAD_OUT_END_RE.test(first) || isHeadingLine(first, words)) return false;
  if (!CLOSED_PROSE_RE.test(second.trim()) || second.includes("\n\n") || startsWithListMarker(second)) return false;
  return /^\s*\p{Ll}/u.test(second) || MID_SENTENCE_END_RE.test(first);
}

/** Ends as a sentence does: what follows a lead-out on the next line and ends so is the sentence wrapped, not a block. */
const CLOSED_END_RE = /[.!?。！？]["'”’)）]?\s*$/u;
/** One blank line (a page break mark allowed): what may stand between a lead-out and its block (HTML <pre>, fences). */
const ONE_BLANK_LINE_RE = /^[^\S\n]*\n[^\S\n]*\n[^\S\n]*$/;

/**
 * A sentence span running from a lead-out over the line break after it ("…as follows:\ncp a b\nsync", "…for UEFI
 * machines, for example\ngroup {") is cut at each line break from there on: the lines under a lead-out are a block,
 * line by line — unless the rest ends as a sentence does ("…options such as\nVoice Guide and Caption."): that is a
 * hard-wrapped sentence. So are the spans that follow such a block on the next lines (no blank line between): the
 * sentence splitter may end a span inside the block ("…-4.3\n" / "$ tar xaf a.tar.xz\n$ cd a"), and the lines of the
 * next span were joined. The block may also start after one blank line under a span ending on a lead-out, when it
 * does not end as a sentence does (an HTML <pre> or a Markdown fence under "…as follows:").
 */
export function linesAfterLeadOut(text: string, spans: Iterable<{ start: number; end: number }>): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  let inBlock = false;
  let opened = false;
  let prevEnd = 0;
  for (const span of spans) {
    const body = text.slice(span.start, span.end);
    const gap = text.slice(prevEnd, span.start);
    prevEnd = span.end;
    const underLeadOut = opened && ONE_BLANK_LINE_RE.test(gap) && !CLOSED_END_RE.test(body);
    inBlock = (inBlock && gap.includes("\n") && !/\n\s*\n/.test(gap)) || underLeadOut;
    const breaks = [...body.matchAll(/[ \t]*\n\s*/g)];
    const cut = inBlock ? 0 : breaks.findIndex((b) => LEAD_OUT_END_RE.test(body.slice(0, b.index)) && !CLOSED_END_RE.test(body.slice(b.index)));
    if (cut < 0 || breaks.length === 0) {
      // A span ending on a lead-out before a line break opens the block its following spans are lines of.
      opened = LEAD_OUT_END_RE.test(body);
      inBlock ||= opened;
      out.push(span);
      continue;
    }
    opened = false;
    inBlock = !/\n\s*\n/.test(body.slice(breaks[cut]!.index));
    let start = span.start;
    for (const b of breaks.slice(cut)) {
      out.push({ start, end: span.start + b.index });
      start = span.start + b.index + b[0].length;
    }
    out.push({ start, end: span.end });
  }
  return out.filter((s) => s.end > s.start);
}
