import type { PdfLine } from "./pdf-layout.js";
import type { OutlineEntry } from "./pdf-outline.js";
import { furnitureBounds, percentile } from "./pdf-text.js";

/** A line of a page as the section builder consumes it. */
export type TypedLine =
  | { kind: "text"; text: string }
  | { kind: "heading"; text: string; level: number }
  | { kind: "code"; text: string; x: number; height: number }
  | { kind: "row"; cells: Array<{ x: number; text: string }> }
  /** A footnote, moved out of the running text (see {@link splitFootnotes}). */
  | { kind: "note"; text: string };

export interface TypedPage {
  /** 1-based PDF page index. */
  num: number;
  label?: string;
  lines: TypedLine[];
}

/** Dot leaders (". . . ." or "....") or an ellipsis before a page number: a contents line. */
const LEADER = /(?:\.\s?){4,}\s*[\dIVXLCivxlc]{1,6}$|…\s*\d{1,4}$/;
const TRAILING_NUMBER = /\s(?:\d{1,4}|[ivxlc]{1,6})$/;
/** "apt-get, 12, 45–47": an index line. */
const INDEX_LINE = /,\s*\d{1,4}(?:\s*[,–-]\s*\d{1,4})*$/;
const CONTENTS_TITLE = /^(?:table of contents|contents|index|list of (?:tables|figures|examples|illustrations))$/i;
/** Share of a page's lines with dot leaders that makes it a contents page. */
const LEADER_SHARE = 0.4;
/** Share of lines ending in page numbers that makes a page under a "Contents"/"Index" title such a page. */
const NUMBERED_SHARE = 0.5;

/**
 * Whether a page is a table of contents, an index or a list of tables/figures: dot leaders before page numbers on
 * many lines, or a "Contents"/"Index"/"List of ..." title over lines mostly ending in page numbers.
 */
export function isContentsPage(lines: readonly string[]): boolean {
  const body = lines.filter((l) => l.length > 0);
  if (body.length < 4) return false;
  if (body.filter((l) => LEADER.test(l)).length >= LEADER_SHARE * body.length) return true;
  const titled = body.slice(0, 3).some((l) => CONTENTS_TITLE.test(l));
  return titled && body.filter((l) => TRAILING_NUMBER.test(l) || INDEX_LINE.test(l)).length >= NUMBERED_SHARE * body.length;
}

const key = (s: string): string => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();
const NUMBER_PREFIX = /^(?:(?:chapter|appendix|part|section)\s+)?(?:\d+|[A-Z])(?:\.\d+)*\.?\s+/i;

/**
 * A web page's "Prev | Manual title | Next" bar, printed with the page (a browser's "Save as PDF" of a DocBook or Sphinx
 * page): chrome, and set large enough to be read as the top heading of every section after it.
 */
const NAVIGATION_BAR = /^(?:[«‹<←]\s*)?(?:Prev|Previous|上一页|上一頁)(?:\s.{0,80})?\s(?:Next|下一页|下一頁)(?:\s*[»›>→])?$|^上一页.{0,80}下一页$/i;

/** Most lines a wrapped heading may take. */
const MAX_HEADING_LINES = 4;
/** "Chapter 4" / "Appendix B" printed on its own line above the chapter title. */
const CHAPTER_LABEL = /^(?:chapter|appendix|part)\s+(?:\d+|[A-Z]|[IVXLC]+)$/i;

/** Index of the line (from `from`) whose text is the bookmark's title, with or without its section number. */
function findTitle(lines: readonly TypedLine[], title: string, from: number): { at: number; take: number } | undefined {
  // Compared without spaces: a title wrapped at a hyphen ("sym-" + "links") reads "sym links" after `key`, the
  // bookmark "symlinks"; one whose own hyphen fell at the line end ("Debian-" + "based") reads the same either way.
  const want = key(title).replace(/ /g, "");
  for (let i = from; i < lines.length; i++) {
    let text = "";
    // A long heading wraps onto following lines: grow while the lines read so far are a prefix of the title.
    for (let take = 1; take <= MAX_HEADING_LINES; take++) {
      const line = lines[i + take - 1];
      if (line?.kind !== "text") break;
      text = take === 1 ? line.text : `${text} ${line.text}`;
      const whole = key(text).replace(/ /g, "");
      const bare = key(text.replace(NUMBER_PREFIX, "")).replace(/ /g, "");
      if (whole === want || bare === want) return { at: i, take };
      if (bare.length === 0 || !want.startsWith(bare)) break;
    }
  }
  return undefined;
}

/**
 * A heading's wrapped lines as one line: a line-end hyphen stays when the bookmark title has it ("Debian-" + "based"
 * → "Debian-based") and goes when the title has the word whole ("sys-" + "tems" → "systems").
 */
function joinWrapped(lines: readonly string[], title: string): string {
  const whole = title.toLowerCase();
  return lines.reduce((acc, line) => {
    if (acc.length === 0) return line;
    if (!/\p{L}-$/u.test(acc)) return `${acc} ${line}`;
    const joined = `${acc.match(/\p{L}+-$/u)?.[0].slice(0, -1) ?? ""}${line.match(/^\p{L}+/u)?.[0] ?? ""}`.toLowerCase();
    return whole.includes(joined) ? acc.slice(0, -1) + line : acc + line;
  }, "");
}

/** Marks each bookmark's heading line on its page (or inserts the heading at the top of that page when not found). */
function applyOutline(pages: TypedPage[], outline: readonly OutlineEntry[]): void {
  const cursor = new Map<number, number>();
  for (const entry of outline) {
    const page = pages[entry.page - 1];
    if (!page) continue;
    const from = cursor.get(entry.page) ?? 0;
    const found = findTitle(page.lines, entry.title, from);
    if (found) {
      const before = page.lines[found.at - 1];
      // "Chapter 4" above the title belongs to the heading, not to the previous section's text.
      if (found.at > from && before?.kind === "text" && CHAPTER_LABEL.test(before.text)) {
        found.at--;
        found.take++;
      }
      const shown = joinWrapped(page.lines.slice(found.at, found.at + found.take).map((l) => (l.kind === "text" ? l.text : "")), entry.title);
      // The printed line keeps its number ("3.3.3 Hardware Compatibility"); the bookmark title may lack it.
      page.lines.splice(found.at, found.take, { kind: "heading", text: shown, level: entry.level });
      cursor.set(entry.page, found.at + 1);
    } else {
      page.lines.splice(from, 0, { kind: "heading", text: entry.title, level: entry.level });
      cursor.set(entry.page, from + 1);
    }
  }
}

const NUMBERED_HEADING = /^(\d+(?:\.\d+)+)\.?\s+\p{Lu}/u;
/** A line this much larger than body text, short and unpunctuated, is a heading. */
const HEADING_SIZE = 1.15;
const MAX_HEADING_CHARS = 100;

/** Headings without an outline: multi-level numbering ("3.3.3 Hardware Compatibility") or a larger font. */
function headingLevel(line: PdfLine, body: number, sizes: readonly number[]): number | undefined {
  if (line.mono || line.text.length > MAX_HEADING_CHARS || /[.,;:]$/.test(line.text) || !/\p{L}/u.test(line.text)) return undefined;
  const numbered = NUMBERED_HEADING.exec(line.text);
  if (numbered?.[1] && line.height >= body * 0.95) return numbered[1].split(".").length;
  if (line.height >= body * HEADING_SIZE && /^\p{Lu}|^\d/u.test(line.text)) return sizes.findIndex((s) => line.height >= s) + 1;
  return undefined;
}

/** A run of this many lines with wide gaps between cells (header + rows) is a table. */
const MIN_TABLE_LINES = 3;
const MAX_HEADER_CELL = 40;

/** Marks runs of multi-cell lines as table rows (the first is the header row), best effort from x positions. */
function typeLine(line: PdfLine, rowRun: boolean): TypedLine {
  if (line.mono) return { kind: "code", text: line.text, x: line.x, height: line.height };
  if (rowRun) return { kind: "row", cells: line.cells };
  return { kind: "text", text: line.text };
}

function rowRuns(lines: readonly PdfLine[]): boolean[] {
  const flags = lines.map(() => false);
  let i = 0;
  while (i < lines.length) {
    let j = i;
    while (j < lines.length && !lines[j]!.mono && lines[j]!.cells.length >= 2) j++;
    const header = lines[i];
    const shortHeader = header !== undefined && header.cells.every((c) => c.text.length <= MAX_HEADER_CELL && !/[.;]$/.test(c.text));
    if (j - i >= MIN_TABLE_LINES && shortHeader) for (let k = i; k < j; k++) flags[k] = true;
    i = Math.max(j, i + 1);
  }
  return flags;
}

/** Share of pages that must start with an all-capitals line for those lines to be running titles. */
const RUNNING_TITLE_SHARE = 0.5;
const isCapitalsLine = (text: string): boolean => !/\p{Ll}/u.test(text) && (text.match(/\p{Lu}{2,}/gu)?.length ?? 0) >= 2;

/**
 * Drops running titles that name the current chapter/section ("CHAPTER 4. OBTAINING ... 4.5. PREPARING ..."): they
 * change from page to page, so the repeat rule of {@link furnitureBounds} misses them, but they are set in capitals
 * at the top of most pages.
 */
function dropRunningTitles(pages: PdfLine[][]): PdfLine[][] {
  const withText = pages.filter((p) => p.length > 0);
  const capitals = withText.filter((p) => isCapitalsLine(p[0]!.text)).length;
  if (withText.length < 3 || capitals < RUNNING_TITLE_SHARE * withText.length) return pages;
  return pages.map((p) => (p.length > 0 && isCapitalsLine(p[0]!.text) ? p.slice(1) : p));
}

/** Footnotes are set smaller than body text: below this share of its size (a superscript digit may lift a line to 0.9). */
const FOOTNOTE_SIZE = 0.92;
/**
 * A footnote starts with its number, often set tight against the first word ("11The default ..."); some typesetters'
 * fonts give its later digits as superscript characters ("1⁴The default ...").
 */
const FOOTNOTE_START = /^(\d[\d⁰¹²³⁴-⁹]{0,2})\s*(?=[\p{L}(“"'])/u;
const SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹";
/** "1⁴" → "14". */
const plainDigits = (n: string): string => n.replace(/[⁰¹²³⁴-⁹]/g, (d) => String(SUPERSCRIPT_DIGITS.indexOf(d)));

/**
 * The footnotes at the foot of a page: the trailing run of lines set smaller than body text whose first line starts
 * with a footnote number. They are moved out of the running text, because a sentence that goes on to the next page
 * would otherwise be cut by them; each becomes one "Footnote N: ..." note.
 */
export function splitFootnotes(lines: readonly PdfLine[], body: number): { lines: PdfLine[]; notes: string[] } {
  let top = lines.length;
  while (top > 0 && !lines[top - 1]!.mono && lines[top - 1]!.height > 0 && lines[top - 1]!.height < body * FOOTNOTE_SIZE) top--;
  while (top < lines.length && !FOOTNOTE_START.test(lines[top]!.text)) top++;
  if (top >= lines.length || top === 0) return { lines: [...lines], notes: [] };
  const notes: string[] = [];
  for (const line of lines.slice(top)) {
    const start = FOOTNOTE_START.exec(line.text);
    if (start?.[1] !== undefined) notes.push(`Footnote ${plainDigits(start[1])}: ${line.text.slice(start[0].length)}`);
    else notes[notes.length - 1] = `${notes[notes.length - 1] ?? ""} ${line.text}`.trim();
  }
  return { lines: lines.slice(0, top), notes };
}

/** The number a footnote starts with ("Footnote 11: ..."). */
const noteNumber = (note: string): string | undefined => /^Footnote (\d+):/.exec(note)?.[1];

/**
 * Removes the reference to footnote `n` from the page's body lines, when it is set inline rather than raised (some
 * typesetters print "developer, 1 you can", "dupload. 3", "like this13:"): the first `n` right after punctuation, or
 * glued to a word and followed by punctuation. Only numbers of this page's own footnotes are candidates, so other
 * numbers in the text are never touched.
 */
function dropInlineReference(lines: PdfLine[], n: string): void {
  // The number as printed: plain, or with its later digits as superscript characters ("1⁶").
  const forms = [...new Set([n, n[0] + [...n.slice(1)].map((d) => SUPERSCRIPT_DIGITS[Number(d)]).join("")])].join("|");
  const re = new RegExp(`(?<=\\p{L}[,.;:)”’"])\\s?(?:${forms})(?=\\s|$)|(?<=\\p{L})(?:${forms})(?=[:;,.](?:\\s|$))`, "u");
  for (const line of lines) {
    if (line.mono || !re.test(line.text)) continue;
    line.text = line.text.replace(re, "");
    return;
  }
}

/** A footnote reference mark alone: "[16]". */
const REFERENCE_MARK = /^\[\d{1,3}\]$/;

/**
 * A browser printing a page draws its linked footnote marks ("[16]") after the text, so they arrive as lines of their
 * own at the end of the page, and the sentence keeps the gap they sat in ("(by default ) creates", "users. ."). The
 * marks go, and the gaps close.
 */
function withoutDetachedMarks(lines: PdfLine[], body: number): PdfLine[] {
  const kept = lines.filter((l) => l.mono || !REFERENCE_MARK.test(l.text) || l.height >= body * FOOTNOTE_SIZE);
  if (kept.length === lines.length) return lines;
  for (const line of kept) {
    if (!line.mono) line.text = line.text.replace(/(\p{L}) +\)/gu, "$1)").replace(/([.!?]) \.(?=\s|$)/g, "$1");
  }
  return kept;
}

/**
 * Pages as typed lines: contents/index pages emptied, running headers/footers and page numbers removed, headings
 * from the outline (else from numbering and font size), monospace lines as code, aligned multi-cell runs as rows,
 * footnotes as notes at the end of their page.
 */
export function typePages(raw: readonly PdfLine[][], outline: readonly OutlineEntry[], labels: readonly string[] | undefined): TypedPage[] {
  const texts = raw.map((lines) => lines.map((l) => l.text));
  const kept = furnitureBounds(texts);
  const contents = texts.map(isContentsPage);
  const content = dropRunningTitles(
    raw.map((lines, i) => (contents[i] ? [] : lines.slice(kept[i]!.from, kept[i]!.to).filter((l) => !NAVIGATION_BAR.test(l.text)))),
  );
  const body = percentile(content.flat().filter((l) => !l.mono).map((l) => l.height), 0.5) || 10;
  const sizes = [...new Set(content.flat().map((l) => Math.round(l.height)).filter((h) => h >= body * HEADING_SIZE))].sort((a, b) => b - a);
  const pages: TypedPage[] = content.map((page) => withoutDetachedMarks(page, body)).map((all, i) => {
    const { lines, notes } = splitFootnotes(all, body);
    for (const note of notes) {
      const n = noteNumber(note);
      if (n !== undefined) dropInlineReference(lines, n);
    }
    const rows = rowRuns(lines);
    const typed = lines.map((line, k): TypedLine => {
      const level = outline.length === 0 ? headingLevel(line, body, sizes) : undefined;
      return level !== undefined ? { kind: "heading", text: line.text, level } : typeLine(line, rows[k] ?? false);
    });
    const label = labels?.[i];
    return { num: i + 1, ...(label ? { label } : {}), lines: [...typed, ...notes.map((text): TypedLine => ({ kind: "note", text }))] };
  });
  if (outline.length > 0) applyOutline(pages, outline);
  return pages;
}
