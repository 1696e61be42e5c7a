/**
 * Sentence and paragraph segmentation for English and CJK support text. Built on `Intl.Segmenter` (ICU sentence rules), with repairs for what ICU gets wrong in manuals: it breaks after
 * every newline (PDF text is hard-wrapped), after abbreviations followed by a capital ("e.g. Settings", "Dr. Smith"),
 * and it leaves numbered steps glued to the previous sentence ("Steps: 1. Press ..."). It also does not end
 * sentences at the full-width semicolon or the CJK ellipsis, and it ends them inside brackets ("will (if you got it
 * right!) modify").
 */

import { joinInsideBrackets, reattachBrackets } from "./sentence-brackets.js";
import { detachTrailingMarkers, endsWithFullStop, splitCjkExtras } from "./sentence-segments.js";
import { protectedSpans } from "./protected-spans.js";
import { CJK_HANGUL_CHARS } from "./cjk.js";

/** A half-open character range `[start, end)` into some text. */
export interface TextSpan {
  start: number;
  end: number;
}

/** A line that starts a list item: bullets, "1." / "1)" / "(a)" / "a." markers, "Step 3", CJK "一、" / "1、" / "①". */
const LIST_MARKER_RE =
  /^[ \t]*(?:[-*+•●○◦▪■□‣⁃–—·](?=\s)|\(?\d{1,3}[.)](?=\s|$)|\(?[a-z][.)](?=\s)|(?:step|schritt|étape|paso)\s*\d+\b|第[一二三四五六七八九十百\d]+[步条項项]|[（(]?[一二三四五六七八九十]+[、．）)]|\d{1,3}、|[①-⑳])/iu;
/** Markdown headings, table rows and quotes are line-structured: each line stands alone. */
const LINE_STRUCTURED_RE = /^[ \t]*[#|>]/;
const TERMINAL_END_RE = /[.!?。！？；…]["'”’)\]」』）]*\s*$/u;
/** Hard-wrapped CJK lines end in a bare character; a Latin word on the next line does not make that a boundary. */
const CJK_END_RE = new RegExp(String.raw`[${CJK_HANGUL_CHARS}]\s*$`, "u");
const STARTS_UPPER_RE = /^\s*[\p{Lu}\p{Lt}]/u;
const MARKER_ONLY_RE = /^\s*(?:\(?\d{1,3}[.)]|\(?[a-z][.)]|[-*+•●○◦▪■□‣⁃–—·])\s*$/iu;
/** Breaks ICU always makes: terminal punctuation, space, capital; or a CJK full stop. Used to cut ICU windows. */
const SAFE_CUT_RE = /[.!?]["'”’)\]]*\s+(?=[\p{Lu}\p{Lt}])|[。！？][”’」』）]*/u;
const SPACE_RE = /\s+/;
const WINDOW = 2000;
const HARD_WINDOW = 8000;
const ABBREV_TAIL_RE = /(?:^|[\s(\[{"'“‘])((?:[a-z]\.){2,3}|[a-z]{1,8}\.)\s*$/i;

/** Abbreviations that practically never end a sentence. */
const ALWAYS_CONTINUE = new Set([
  "mr", "mrs", "dr", "prof", "st", "vs", "e.g", "i.e", "cf", "approx", "appr", "ca", "incl", "excl", "esp",
  "resp", "dept", "bzw", "ggf", "z.b", "d.h", "u.a", "inkl",
]);
/** Abbreviations that continue only before a number or code: "No. 5", "Fig. 3", "p. 12", "No. X-100". */
const NUMBER_CONTINUE = new Set(["no", "nos", "nr", "fig", "figs", "p", "pp", "vol", "art", "sec", "ch", "chap", "eq", "ref", "tab", "tel", "pg", "para"]);
/** Abbreviations that often end a sentence: continue only when the next word is not capitalised. */
const LOWER_CONTINUE = new Set(["etc", "usw"]);
const NUMBER_NEXT_RE = /^\s*[#(]?[\p{Lu}\d-]*\d/u;

/** ICU sentence segmenters by language, made on first use; shared, as a segmenter keeps nothing between calls. */
const segmenters = new Map<string, Intl.Segmenter>();

function segmenterFor(language: string | undefined): Intl.Segmenter {
  const key = language ?? "en";
  let seg = segmenters.get(key);
  if (!seg) {
    try {
      seg = new Intl.Segmenter(key, { granularity: "sentence" });
    } catch {
      // A malformed language tag must not break ingestion: ICU's root rules are language-neutral enough.
      seg = new Intl.Segmenter("en", { granularity: "sentence" });
    }
    segmenters.set(key, seg);
  }
  return seg;
}

/** Whether `line` starts with a list-item marker ("1.", "-", "•", "a)", "Step 2", "一、", ...). */
export function startsWithListMarker(line: string): boolean {
  return LIST_MARKER_RE.test(line);
}

/** Shrinks `[start, end)` to exclude surrounding whitespace; undefined when nothing but whitespace remains. */
export function trimSpan(text: string, start: number, end: number): TextSpan | undefined {
  let s = start;
  let e = end;
  while (s < e && /\s/.test(text[s] ?? "")) s++;
  while (e > s && /\s/.test(text[e - 1] ?? "")) e--;
  return s < e ? { start: s, end: e } : undefined;
}

function isLineBoundary(prev: string, next: string): boolean {
  if (prev.trim() === "" || next.trim() === "") return true;
  if (LINE_STRUCTURED_RE.test(prev) || LINE_STRUCTURED_RE.test(next) || LIST_MARKER_RE.test(next)) return true;
  // A line without closing punctuation followed by a capitalised line is a heading, label or list line, not a wrap.
  return !TERMINAL_END_RE.test(prev) && !CJK_END_RE.test(prev) && STARTS_UPPER_RE.test(next);
}

/** Splits text into runs of lines that may belong to one sentence; joins hard-wrapped lines. */
function lineBlocks(text: string): TextSpan[] {
  const blocks: TextSpan[] = [];
  let blockStart = 0;
  let lineStart = 0;
  let prevLine: string | undefined;
  for (;;) {
    const nl = text.indexOf("\n", lineStart);
    const line = text.slice(lineStart, nl === -1 ? text.length : nl);
    if (prevLine !== undefined && isLineBoundary(prevLine, line)) {
      blocks.push({ start: blockStart, end: lineStart });
      blockStart = lineStart;
    }
    prevLine = line;
    if (nl === -1) break;
    lineStart = nl + 1;
  }
  blocks.push({ start: blockStart, end: text.length });
  return blocks;
}

function shouldJoin(prev: string, next: string): boolean {
  if (MARKER_ONLY_RE.test(prev)) return true;
  // ABBREV_TAIL_RE ends in "\.\s*$": a segment not ending in a full stop is no abbreviation (skips its scan).
  if (!endsWithFullStop(prev)) return false;
  const m = ABBREV_TAIL_RE.exec(prev);
  if (!m || m[1] === undefined || LIST_MARKER_RE.test(next)) return false;
  const abbrev = m[1].toLowerCase().slice(0, -1);
  if (ALWAYS_CONTINUE.has(abbrev)) return true;
  if (NUMBER_CONTINUE.has(abbrev)) return NUMBER_NEXT_RE.test(next);
  if (LOWER_CONTINUE.has(abbrev)) return !STARTS_UPPER_RE.test(next);
  return false;
}

function joinFalseBreaks(text: string, segs: TextSpan[]): TextSpan[] {
  const out: TextSpan[] = [];
  for (const seg of segs) {
    const last = out[out.length - 1];
    if (last && shouldJoin(text.slice(last.start, last.end), text.slice(seg.start, seg.end))) last.end = seg.end;
    else out.push({ ...seg });
  }
  return out;
}

/**
 * End of the ICU window starting at `start`: the first certain sentence break past WINDOW characters, else a space,
 * else a hard cut. V8's segment iterator is quadratic in the input length, so long blocks are fed in windows.
 */
function windowEnd(flat: string, start: number): number {
  if (flat.length - start <= WINDOW) return flat.length;
  const from = start + WINDOW;
  // Search a bounded region: an unbounded regex scan per window would make long break-free text quadratic.
  const region = flat.slice(from, start + HARD_WINDOW);
  const safe = SAFE_CUT_RE.exec(region) ?? SPACE_RE.exec(region);
  if (safe) return from + safe.index + safe[0].length;
  // No break opportunity at all: cut, but never inside a surrogate pair.
  return /[\uDC00-\uDFFF]/.test(flat[from] ?? "") ? from + 1 : from;
}

function segmentBlock(text: string, block: TextSpan, language: string | undefined): TextSpan[] {
  // ICU hard-breaks at every newline; inside a block newlines are just wrapping, so hide them (same length).
  const flat = text.slice(block.start, block.end).replace(/[\r\n]/g, " ");
  const segmenter = segmenterFor(language);
  const segs: TextSpan[] = [];
  for (let start = 0; start < flat.length; ) {
    const end = windowEnd(flat, start);
    const offset = block.start + start;
    for (const s of segmenter.segment(flat.slice(start, end))) {
      segs.push({ start: offset + s.index, end: offset + s.index + s.segment.length });
    }
    start = end;
  }
  const repaired = joinFalseBreaks(text, detachTrailingMarkers(text, reattachBrackets(text, splitCjkExtras(text, segs))));
  return joinProtected(text, block, joinInsideBrackets(text, repaired, block.end));
}

/** Re-joins segments cut inside a URL or a code span (ICU ends sentences at "?" in "…/login?next=1"). */
function joinProtected(text: string, block: TextSpan, segs: TextSpan[]): TextSpan[] {
  if (segs.length < 2 || !mayCutProtected(text, block, segs)) return segs;
  const spans = protectedSpans(text.slice(block.start, block.end));
  if (spans.length === 0) return segs;
  const out: TextSpan[] = [];
  // Segment ends only grow, so one pointer walks the spans: linear even for a one-line 10 MB text full of numbers.
  let j = 0;
  for (const seg of segs) {
    const last = out[out.length - 1];
    const cut = last ? trimmedEnd(text, last) - block.start : -1;
    while (j < spans.length && spans[j]!.end <= cut) j++;
    const span = spans[j];
    if (last && span !== undefined && span.start < cut && cut < span.end) last.end = seg.end;
    else out.push({ ...seg });
  }
  return out;
}

/**
 * Cheap test before computing spans: a cut inside a URL has no whitespace at it, and a cut inside a code span leaves a
 * segment with an odd number of backquotes. Ordinary prose (a space at every cut, backquotes paired) skips the spans.
 */
function mayCutProtected(text: string, block: TextSpan, segs: readonly TextSpan[]): boolean {
  for (let k = 1; k < segs.length; k++) if (!/\s/.test(text[segs[k]!.start - 1]!)) return true;
  if (text.indexOf("`", block.start) < 0 || text.indexOf("`", block.start) >= block.end) return false;
  let k = 0;
  let ticks = 0;
  for (let i = text.indexOf("`", block.start); i >= 0 && i < block.end; i = text.indexOf("`", i + 1)) {
    while (segs[k]!.end <= i) {
      if (ticks % 2 === 1) return true;
      ticks = 0;
      k++;
    }
    ticks++;
  }
  return ticks % 2 === 1;
}

/** End of a segment without its trailing whitespace: where the sentence really stops. */
function trimmedEnd(text: string, seg: TextSpan): number {
  let e = seg.end;
  while (e > seg.start && /\s/.test(text[e - 1]!)) e--;
  return e;
}

/**
 * Sentence spans of `text`, trimmed and in order. Between consecutive spans there is only whitespace, so the
 * spans cover every non-whitespace character exactly once.
 */
export function sentenceSpans(text: string, language?: string): TextSpan[] {
  const spans: TextSpan[] = [];
  for (const block of lineBlocks(text)) {
    if (text.slice(block.start, block.end).trim() === "") continue;
    for (const seg of segmentBlock(text, block, language)) {
      const t = trimSpan(text, seg.start, seg.end);
      if (t) spans.push(t);
    }
  }
  return spans;
}

/**
 * Splits text into trimmed, non-empty sentences (English and CJK). Abbreviations, decimals and version numbers do
 * not end sentences; each numbered step or list line is its own sentence; a line without closing punctuation
 * followed by a capitalised or list line ends a sentence; 。！？；… end CJK sentences. Concatenating the result
 * loses no non-whitespace text.
 */
export function splitSentences(text: string, language?: string): string[] {
  return sentenceSpans(text, language).map((s) => text.slice(s.start, s.end));
}

/**
 * Paragraph spans: blank-line separated blocks, trimmed. Consecutive list items separated by blank lines, and the
 * "...:" line introducing them, are grouped into one paragraph so a procedure stays together.
 */
export function paragraphSpans(text: string): TextSpan[] {
  const out: Array<TextSpan & { list: boolean }> = [];
  const push = (start: number, end: number): void => {
    const span = trimSpan(text, start, end);
    if (!span) return;
    const body = text.slice(span.start, span.end);
    const isList = body.split("\n").some((line) => LIST_MARKER_RE.test(line));
    const last = out[out.length - 1];
    if (last && LIST_MARKER_RE.test(body) && (last.list || /[:：]\s*$/.test(text.slice(last.start, last.end)))) {
      last.end = span.end;
      last.list = true;
    } else {
      out.push({ ...span, list: isList });
    }
  };
  let start = 0;
  for (const m of text.matchAll(/\n[^\S\n]*\n\s*/g)) {
    push(start, m.index);
    start = m.index + m[0].length;
  }
  push(start, text.length);
  return out.map(({ start: s, end: e }) => ({ start: s, end: e }));
}

/** Splits text into trimmed paragraphs (see {@link paragraphSpans}). */
export function splitParagraphs(text: string): string[] {
  return paragraphSpans(text).map((s) => text.slice(s.start, s.end));
}
