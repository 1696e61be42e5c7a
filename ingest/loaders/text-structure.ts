import type { Section } from "../../src/domain/document.js";
import { CJK_CHARS, CJK_PUNCT_CHARS } from "../../src/text/cjk.js";
import { columns } from "./pdf-text.js";
import { SectionBuilder } from "./section-builder.js";

/**
 * A numbered heading alone on its line, as plain-text exports of manuals print them (w3m/lynx dumps of DocBook,
 * man pages, README outlines): "Chapter 2. apt-get", "4.2.4. The Kept Back list", "Appendix B. Tools".
 */
const NUMBERED = /^(?:(Chapter|Appendix|Part)\s+([A-Z\d]{1,3})\.?|(\d{1,3}(?:\.\d{1,3})*)\.?|(第\s*[\d一二三四五六七八九十百]{1,4}\s*[章部篇]))\s+(\S.{0,88})$/;
/**
 * Text dumps wrap a long heading like any line ("3.1.10. … 怎么知" / "道我正在运行哪个发布版本？"): a heading may take this
 * many lines, its first line at least {@link WRAPPED_FIRST_COLUMNS} columns wide (it was wrapped because it was long).
 */
const WRAPPED_MAX_LINES = 3;
const WRAPPED_FIRST_COLUMNS = 50;
/** How much of a wrapped heading's joined text is matched against {@link NUMBERED} (its number and first words). */
const NUMBERED_PREFIX = 60;
/** Ends in an exclamation mark, closing quotes or brackets after it allowed. */
const EXCLAIMS = /[!！]["'”’」』）)]*$/u;
/** Chinese and Japanese characters and their punctuation, which join across a line break without a space. */
const WIDE_END = new RegExp(`[${CJK_CHARS}${CJK_PUNCT_CHARS}]$`, "u");
const WIDE_START = new RegExp(`^[${CJK_CHARS}${CJK_PUNCT_CHARS}]`, "u");
/** Full-width punctuation carries its own spacing: no space after or before it, whatever the other side is. */
const WIDE_PUNCT_END = new RegExp(`[${CJK_PUNCT_CHARS}]$`, "u");
const WIDE_PUNCT_START = new RegExp(`^[${CJK_PUNCT_CHARS}]`, "u");
/** A heading does not end as a sentence or a lead-in does (a question, as FAQ headings ask, may). */
const SENTENCE_END = /(?<![?？])[.,;:!。，；：！]$/;
/** A horizontal rule drawn with characters. */
const RULE = /^\s*[-=_*~]{10,}\s*$/;
/** A setext underline ("=====" or "-----" under a title line). */
const UNDERLINE = /^\s*(=+|-+)\s*$/;
const CONTENTS = /^\s*(?:Table of Contents|Contents|目录|目錄)\s*$/i;
/**
 * A console block: its first line is a shell prompt and a command ("# apt-get check", "$ ls -l"). Stricter than the
 * answer side's PROMPT_LINE_RE (src/answer/extractive-console.ts), which also takes "user@host:~$ make", "~" paths and
 * tabs: that one only picks lines to quote from text already chunked, this one decides what becomes a code block, and
 * sharing the looser pattern here would change which paragraphs are reflowed as prose (loader output).
 */
const PROMPT = /^\s*[$#] [a-z./][\w.+/-]*(?:\s|$)/;

interface Heading {
  level: number;
  text: string;
  /** Whether the heading says it is a chapter, appendix or part, or its number has dots (2.1): a numbered outline. */
  outline: boolean;
}

/**
 * Lines of hard-wrapped text as one line: a space where the break was, none between two Chinese or Japanese
 * characters (or their punctuation), which are written without spaces ("完整拷" / "贝。" is "完整拷贝。").
 */
function joinLines(lines: string[]): string {
  return lines.reduce((joined, line) => {
    const next = line.trim();
    if (joined === "" || next === "") return joined + next;
    const tight = (WIDE_END.test(joined) && WIDE_START.test(next)) || WIDE_PUNCT_END.test(joined) || WIDE_PUNCT_START.test(next);
    // No space after a path or "and/or" broken at its slash either ("被检测到/" + "不工作").
    return joined + (tight || /\S\/$/.test(joined) ? "" : " ") + next;
  }, "");
}

/** The heading a one-line paragraph is, if it reads as one. */
function numberedHeading(paragraph: string): Heading | undefined {
  const text = paragraph.includes("\n") ? wrappedHeadingText(paragraph) : paragraph;
  if (text === undefined) return undefined;
  // Text dumps set a no-break space after the number ("1.1.\u00a0Anatomy") in the heading but not in its contents entry.
  const line = text.replace(/\s+/g, " ").trim();
  const wrapped = text !== paragraph;
  // A wrapped heading is long by nature: its first line carries the number and the length limit is the line count.
  const m = NUMBERED.exec(wrapped ? line.slice(0, NUMBERED_PREFIX) : line);
  if (!m) return undefined;
  const dotted = m[3];
  const level = dotted !== undefined ? dotted.split(".").length : 1;
  const outline = m[1] !== undefined || m[4] !== undefined || (dotted?.includes(".") ?? false);
  // A FAQ heading may exclaim ("… 我以为这张 CD 只有“stable”！"); a dotted number before it says it is a heading.
  if (SENTENCE_END.test(line) && !(outline && EXCLAIMS.test(line))) return undefined;
  // A wrapped paragraph is a heading only in outline form: "2. Open the lid and" / "press the button" is a step.
  if (wrapped && !outline) return undefined;
  return { level, text: line, outline };
}

/**
 * The one-line text of a heading wrapped over a few lines at one indentation, its first line long and numbered
 * (outline form is checked by the caller); undefined for any other paragraph.
 */
function wrappedHeadingText(paragraph: string): string | undefined {
  const lines = paragraph.split("\n");
  const [first] = lines;
  if (first === undefined || lines.length > WRAPPED_MAX_LINES || columns(first.trim()) < WRAPPED_FIRST_COLUMNS) return undefined;
  if (lines.some((l) => indentOf(l) !== indentOf(first) || l.trim() === "")) return undefined;
  if (!NUMBERED.test(first.trim()) || lines.slice(1).some((l) => NUMBERED.test(l.trim()) || LIST_LINE.test(l))) return undefined;
  return joinLines(lines);
}

function setextHeading(paragraph: string): Heading | undefined {
  const [title, rule, more] = paragraph.split("\n");
  if (title === undefined || rule === undefined || more !== undefined) return undefined;
  const u = UNDERLINE.exec(rule);
  const text = title.replace(/\s+/g, " ").trim();
  if (!u?.[1] || text.length === 0 || u[1].length < 3 || u[1].length < text.length / 2) return undefined;
  return { level: u[1].startsWith("=") ? 1 : 2, text, outline: true };
}

/** Inline footnote marks of text dumps ("The first ^[1] thing"), and a path or "and/or" broken after its slash. */
function cleanProse(paragraph: string): string {
  return paragraph
    .replace(/([.!?])[ \t]?\^\[\d{1,3}\]\./g, "$1")
    .replace(/[ \t]?\^\[(\d{1,3})\]/g, (mark, _n: string, at: number, all: string) => (at === 0 || all[at - 1] === "\n" ? mark.replace("^", "") : ""))
    .replace(/(\S\/)\n[ \t]*(?=[\w.~-])/g, "$1");
}

const indentOf = (text: string): number => /^[ \t]*/.exec(text)?.[0].length ?? 0;

/**
 * A short line set above a more indented paragraph, as text dumps print a definition list ("upgrade" over "Upgrade will
 * attempt…"): the term starts its description, so the name and what it does stay in one sentence.
 */
function isTerm(paragraph: string, next: string | undefined): boolean {
  const line = paragraph.trim();
  if (next === undefined || paragraph.includes("\n") || line.length > 40 || SENTENCE_END.test(line)) return false;
  return indentOf(next) > indentOf(paragraph) && numberedHeading(next) === undefined && !PROMPT.test(next);
}

const LIST_LINE = /^\s*(?:[-*•]|\d{1,3}[.)])\s/;

/**
 * A prose paragraph hard-wrapped at a fixed width (every line at the same indentation, none a list item) as one line:
 * the sentences then read as the author wrote them, not with a line break (which reads as a list) in the middle.
 * Lines set deeper or shallower than the others (a package list under its sentence) keep their breaks.
 */
function reflow(paragraph: string): string {
  const lines = paragraph.split("\n");
  const indent = indentOf(paragraph);
  if (lines.length < 2) return paragraph;
  if (lines.some((l) => indentOf(l) !== indent || LIST_LINE.test(l))) return reflowItems(lines) ?? paragraph;
  return joinLines(lines);
}

/** A list item's marker and the spaces after it: its text starts in the column after them. */
const ITEM_START = /^\s*(?:[-*•]|\d{1,3}[.)])\s+/;

/**
 * List items hard-wrapped with a hanging indent ("  * Fully featured: Debian has" / "    thousands of packages"), each
 * as one line: every line either starts an item or continues the item above at the column its text starts in.
 * Undefined for anything else (a sentence over a deeper-set package list keeps its breaks).
 */
function reflowItems(lines: readonly string[]): string | undefined {
  const items: string[][] = [];
  let column = -1;
  for (const line of lines) {
    const marker = ITEM_START.exec(line);
    if (marker) {
      items.push([line]);
      column = marker[0].length;
    } else if (items.length === 0 || indentOf(line) !== column || line.trim() === "") return undefined;
    else items[items.length - 1]!.push(line);
  }
  if (!items.some((item) => item.length > 1)) return undefined;
  return items.map((item) => " ".repeat(indentOf(item[0]!)) + joinLines(item)).join("\n");
}

/**
 * A paragraph of contents entries: every line a numbered heading or the wrapped rest of the entry above it (set at
 * least as deep: "1.5. … 为什么我应" / "该选择 Debian，而不是其他发行版？"), most of them entries.
 */
function isContentsList(paragraph: string): boolean {
  const lines = paragraph.split("\n");
  let entryIndent = -1;
  let entries = 0;
  for (const line of lines) {
    if (numberedHeading(line) !== undefined) {
      entryIndent = indentOf(line);
      entries += 1;
    } else if (entryIndent < 0 || indentOf(line) < entryIndent || line.trim() === "") return false;
  }
  return entries * 2 >= lines.length;
}

/** Lines of a block without the indentation they share. */
function dedent(block: string): string {
  const lines = block.split("\n");
  const indent = Math.min(...lines.filter((l) => l.trim().length > 0).map(indentOf));
  return lines.map((l) => l.slice(indent)).join("\n");
}

/**
 * Sections of a plain-text manual: numbered headings ("Chapter 4. The Interface", "4.2.1. …") and setext headings open
 * sections, a contents list and character rules are dropped, paragraphs starting at a shell prompt are code blocks.
 * Undefined when the text has no outline (fewer than two headings, or numbers without dots or chapters, which a
 * numbered list of steps also has): it is then one section, as before.
 */
export function textSections(text: string): Section[] | undefined {
  // Text dumps indent with no-break spaces as often as with spaces (w3m alternates them): indentation either way.
  const body = text.replace(/^[ \t\u00a0]+/gm, (lead) => " ".repeat(lead.length));
  const paragraphs = body.split(/\n{2,}/);
  const headings = paragraphs.map((p) => numberedHeading(p) ?? setextHeading(p));
  const found = headings.filter((h): h is Heading => h !== undefined);
  if (found.length < 2 || !found.some((h) => h.outline)) return undefined;
  const builder = new SectionBuilder("\n\n");
  let inContents = false;
  let term = "";
  paragraphs.forEach((p, i) => {
    const heading = headings[i];
    if (CONTENTS.test(p)) {
      inContents = true;
      return;
    }
    // The entries after "Table of Contents", one per line or one per paragraph, repeat headings that come later; the
    // chapter heading after a contents list does not.
    const listed = heading !== undefined ? headings.slice(i + 1).some((h) => h?.text === heading.text) : isContentsList(p);
    if (inContents && listed) return;
    inContents = false;
    if (RULE.test(p)) return;
    if (heading !== undefined) builder.heading(heading.level, heading.text);
    else if (PROMPT.test(p)) builder.block("code", dedent(p));
    else if (isTerm(p, paragraphs[i + 1])) term = `${p.trim()}: `;
    // Reflowed before the term is put in front: trimmed first, its first line lost the indentation the others share.
    else builder.add(term ? term + reflow(cleanProse(p)).trim() : reflow(cleanProse(p)));
    if (!isTerm(p, paragraphs[i + 1]) || heading !== undefined) term = "";
  });
  return builder.finish();
}
