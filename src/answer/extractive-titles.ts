import { CJK_HANGUL_CHARS } from "../text/cjk.js";
import type { Sentence } from "./extractive-blocks.js";
import { ADMONITION_LINE_RE } from "../text/admonitions.js";
import { CLOSING_PUNCT, LEAD_OUT_END_RE } from "./extractive-lines.js";

/** Most words of a box's title ("BACK TO BASICS Priorities and nice", "基础知识 优先级和 nice"). */
const TITLE_MAX_WORDS = 10;
/**
 * Ends without closing punctuation, a colon or a comma: a title, not a sentence or a lead-in. Unlike a label's open
 * end (extractive-blocks.ts), not in "…" either: a line trailing off is a broken sentence, not a box's title.
 */
const OPEN_END_RE = new RegExp(String.raw`[^${CLOSING_PUNCT}…]\s*$`, "u");
/** Characters of code, settings and paths, camel-case names ("LOG_FAILS yes", "PermitRootLogin no"): no title. */
const CODE_CHAR_RE = /[_=/\\$<>{}[\]@#|~`]|\p{Ll}\p{Lu}/u;
/** A title starts with a capital or a CJK character, Hangul included (see LABEL_START_RE in extractive-blocks.ts). */
const TITLE_START_RE = new RegExp(String.raw`^\s*[\p{Lu}\p{Lt}${CJK_HANGUL_CHARS}]`, "u");

/**
 * A short line standing as a paragraph of its own (a blank line, or the start of the source, above it and a blank line
 * below it), without closing punctuation, is the title of what follows: a tip or note box's title kept in the text
 * ("BACK TO BASICS Priorities and nice"), a heading the loader could not tell from text. Quoted, it reads as a
 * sentence of the answer ("基础知识 优先级和 nice [1]") and starts a passage that is about to change topic, so it is
 * marked `skip` (with no terms), as headings are. Lines of a block, list items, labels, lead-ins and lead-outs keep
 * their roles.
 */
export function markTitles(ss: Sentence[], wholeLine: readonly boolean[]): void {
  ss.forEach((s, i) => {
    const next = ss[i + 1];
    if (s.skip || s.verbatim || s.label || s.leadIn || s.group >= 0 || !wholeLine[i] || !(i === 0 || s.paragraph) || !next?.paragraph) return;
    if (s.words === 0 || s.words > TITLE_MAX_WORDS || !OPEN_END_RE.test(s.text) || !TITLE_START_RE.test(s.text)) return;
    // A lead-out ("With wtool, you can freeze a widget using") promises the line after it; a bare label ("WARNING")
    // is dropped when the reply is written, and a passage may run through it into the box; a setting or command line
    // standing alone ("FAILLOG_ENAB yes") is what the paragraph around it explains.
    if (LEAD_OUT_END_RE.test(s.text) || ADMONITION_LINE_RE.test(s.text) || CODE_CHAR_RE.test(s.text)) return;
    s.skip = true;
    s.terms = new Set();
    s.literal = false;
  });
}
