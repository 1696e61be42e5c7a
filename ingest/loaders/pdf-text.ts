import type { PageStart } from "../../src/domain/document.js";
import { normalizeInline } from "./normalize.js";

/** Lines at the top and bottom of a page examined for running headers, footers and page numbers. */
const FURNITURE_ZONE = 3;
/** Share of pages a line must repeat on (digits aside) to count as a running header/footer. */
const REPEAT_SHARE = 0.6;
/** Fewest pages a line must repeat on: on two pages a repeat is as likely content ("Error E-101" / "E-102"). */
const MIN_REPEAT_PAGES = 3;

const PAGE_NUMBER =
  /^(?:page|p\.|seite|página|pagina|pag\.)?\s*[-–—([]?\s*\d{1,4}\s*[-–—)\]]?\s*(?:(?:of|von|de|di|sur|\/)\s*\d{1,4})?$/i;
// Only lowercase roman numerals up to xxxix: front-matter page numbers, without eating words like "mix".
const ROMAN_PAGE_NUMBER = /^[-–—]?\s*x{0,3}(?:ix|iv|v?i{1,3}|v)\s*[-–—]?$/;
export const LIST_ITEM = /^(?:[-–•·▪●◦*]|\(?\d{1,3}[.)]|\(?[a-z][.)]|\[\d{1,3}\]|step\s+\d+[:.])\s+/i;
const SENTENCE_END = /[.!?:;。！？：；]["'”’)\]」』）]?$/;
/** East Asian wide characters (CJK ideographs, kana, Hangul, full-width forms): a PDF sets each two columns wide. */
const WIDE = /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{20000}-\u{3FFFD}]/u;
const WIDE_END = new RegExp(`${WIDE.source}$`, "u");
const WIDE_START = new RegExp(`^${WIDE.source}`, "u");
const LIGATURES: Record<string, string> = { "ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st" };

/** One page's text as cleaned lines (whitespace collapsed, NFC, ligatures expanded). */
export function pageLines(text: string): string[] {
  return text
    .split(/\r\n?|\n/)
    .map((l) => normalizeInline(l.replace(/[\u0000-\u001F\u007F]/g, " ").replace(/[ﬀ-ﬆ]/g, (c) => LIGATURES[c] ?? c)));
}

/** A bare page number: "12", "- 12 -", "(12)", "Page 12", "Page 12 of 40", "12 / 40", "iv". */
export function isPageNumber(line: string): boolean {
  const l = line.trim();
  return l.length > 0 && (PAGE_NUMBER.test(l) || ROMAN_PAGE_NUMBER.test(l));
}

function signature(line: string): string {
  return line.toLowerCase().replace(/\d+/g, "#").replace(/\s+/g, " ").trim();
}

function zoneSignatures(lines: string[], fromEnd: boolean): Set<string> {
  const content = lines.filter((l) => l.length > 0);
  const zone = fromEnd ? content.slice(-FURNITURE_ZONE) : content.slice(0, FURNITURE_ZONE);
  return new Set(zone.map(signature).filter((s) => s.length > 0));
}

function repeatedSignatures(pages: readonly string[][], fromEnd: boolean): Set<string> {
  const counts = new Map<string, number>();
  for (const page of pages) {
    for (const sig of zoneSignatures(page, fromEnd)) counts.set(sig, (counts.get(sig) ?? 0) + 1);
  }
  const threshold = Math.max(MIN_REPEAT_PAGES, Math.ceil(pages.length * REPEAT_SHARE));
  return new Set([...counts].filter(([, n]) => n >= threshold).map(([sig]) => sig));
}

/** How many lines furniture takes at one end of a page, stopping at the first content line. */
function edgeCount(lines: readonly string[], repeated: Set<string>, fromEnd: boolean, limit: number): number {
  let n = 0;
  let seen = 0;
  while (n < limit && seen < FURNITURE_ZONE) {
    const line = lines[fromEnd ? lines.length - 1 - n : n] ?? "";
    if (line.length > 0) {
      if (!isPageNumber(line) && !repeated.has(signature(line))) break;
      seen++;
    }
    n++;
  }
  return n;
}

/** The `[from, to)` line range of each page that is content, running headers/footers and page numbers aside. */
function bounds(pages: readonly string[][], top: Set<string>, bottom: Set<string>): Array<{ from: number; to: number }> {
  return pages.map((lines) => {
    const from = edgeCount(lines, top, false, lines.length);
    return { from, to: lines.length - edgeCount(lines, bottom, true, lines.length - from) };
  });
}

/**
 * Which lines of each page are content: running headers/footers (lines repeating near the top or bottom of at least
 * 60% of the pages and at least 3 pages, digits aside) and bare page numbers at page edges are not. Fails safe: when
 * that would remove all of the text, the "furniture" was the content (pages of one similar line each, like an
 * error-code list) and only bare page numbers go.
 */
export function furnitureBounds(pages: readonly string[][]): Array<{ from: number; to: number }> {
  const top = pages.length >= MIN_REPEAT_PAGES ? repeatedSignatures(pages, false) : new Set<string>();
  const bottom = pages.length >= MIN_REPEAT_PAGES ? repeatedSignatures(pages, true) : new Set<string>();
  const kept = bounds(pages, top, bottom);
  const keptText = pages.reduce((n, lines, i) => n + textLength([lines.slice(kept[i]!.from, kept[i]!.to)]), 0);
  if (keptText > 0 || textLength(pages) === 0) return kept;
  return bounds(pages, new Set(), new Set());
}

/** Removes running headers/footers and bare page numbers at page edges (see {@link furnitureBounds}). */
export function removePageFurniture(pages: string[][]): string[][] {
  return furnitureBounds(pages).map(({ from, to }, i) => (pages[i] ?? []).slice(from, to));
}

function textLength(pages: readonly string[][]): number {
  let n = 0;
  for (const lines of pages) for (const line of lines) n += line.length;
  return n;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

const startsLower = (s: string): boolean => /^\p{Ll}/u.test(s);

/**
 * How wide a line is set, in columns: a CJK character takes two. Line lengths decide what is a short (paragraph-ending)
 * line, so counting characters made every full Chinese line of a mixed Chinese/English manual "short" and broke its
 * wrapped sentences into paragraphs.
 */
export function columns(line: string): number {
  let n = 0;
  for (const ch of line) n += WIDE.test(ch) ? 2 : 1;
  return n;
}

/** How two consecutive lines are joined. */
export type Joint = "dehyphenate" | "hyphen" | "wide" | "space" | "line" | "paragraph";
export const JOINT_TEXT: Record<Joint, string> = { dehyphenate: "", hyphen: "", wide: "", space: " ", line: "\n", paragraph: "\n\n" };

/** How line `cur` continues `prev` in body text `width` characters wide (see {@link joinPages}). */
export function joint(prev: string, cur: string, width: number, inList: boolean): Joint {
  if (prev.length === 0) return "paragraph";
  if (LIST_ITEM.test(cur)) return inList ? "line" : "paragraph";
  // "installa-" + "tion" is one word; "Wi-" + "Fi" keeps its hyphen, and so does a path or address broken at its
  // own hyphen ("/usr/share/doc/libfoo-" + "doc/"): typesetters do not hyphenate those.
  if (/\p{L}-$/u.test(prev)) return startsLower(cur) && !/[/\\]\S*-$/.test(prev) ? "dehyphenate" : "hyphen";
  const short = columns(prev) < 0.7 * width;
  const sentenceEnd = SENTENCE_END.test(prev);
  if (sentenceEnd && columns(prev) < 0.85 * width) return "paragraph";
  if (short && !startsLower(cur)) return "paragraph";
  // A short capitalised line without final punctuation after a finished sentence is a heading.
  if (sentenceEnd && columns(cur) < 0.7 * width && !SENTENCE_END.test(cur) && !startsLower(cur)) return "paragraph";
  // Chinese and Japanese put no space between words, so a line wrapped between two of their characters joins without one.
  return WIDE_END.test(prev) && WIDE_START.test(cur) ? "wide" : "space";
}

/**
 * Joins the pages' lines into paragraphs: wrapped lines are joined with a space, words hyphenated at a line
 * end are repaired ("installa-" + "tion" → "installation"), list items stay on their own lines, and a
 * blank line, a short line ending a sentence or a heading-like line ends a paragraph. Paragraphs may continue
 * across pages. Returns the text and where each page starts in it (every page listed, in order; a page
 * without text starts where the next text does).
 */
export function joinPages(pages: string[][], pageNumbers: number[]): { text: string; pageStarts: PageStart[] } {
  const width = percentile(pages.flat().filter((l) => l.length > 0).map(columns), 0.8);
  const pageStarts: PageStart[] = [];
  let text = "";
  let prev: string | undefined;
  let inList = false;
  let waiting: number[] = [];
  pages.forEach((lines, i) => {
    waiting.push(pageNumbers[i] ?? i + 1);
    for (const line of lines) {
      if (line.length === 0) {
        if (prev !== undefined) prev = "";
        continue;
      }
      if (prev !== undefined) {
        const j = joint(prev, line, width, inList);
        if (j === "dehyphenate") text = text.slice(0, -1);
        if (j === "line" || j === "paragraph") inList = LIST_ITEM.test(line);
        text += JOINT_TEXT[j];
      } else {
        inList = LIST_ITEM.test(line);
      }
      for (const page of waiting) pageStarts.push({ offset: text.length, page });
      waiting = [];
      text += line;
      prev = line;
    }
  });
  for (const page of waiting) pageStarts.push({ offset: text.length, page });
  return { text, pageStarts };
}
