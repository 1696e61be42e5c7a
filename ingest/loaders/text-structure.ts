import type { Section } from "../../src/domain/document.js";
import { SectionBuilder } from "./section-builder.js";

/**
 * A numbered heading alone on its line, as plain-text exports of manuals print them (w3m/lynx dumps of DocBook,
 * man pages, README outlines): "Chapter 2. apt-get", "4.2.4. The Kept Back list", "Appendix B. Tools".
 */
const NUMBERED = /^(?:(Chapter|Appendix|Part)\s+([A-Z\d]{1,3})\.?|(\d{1,3}(?:\.\d{1,3})*)\.?)\s+(\S.{0,88})$/;
/** A heading does not end as a sentence or a lead-in does (a question, as FAQ headings ask, may). */
const SENTENCE_END = /[.,;:!。，；：！]$/;
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

/** The heading a one-line paragraph is, if it reads as one. */
function numberedHeading(paragraph: string): Heading | undefined {
  if (paragraph.includes("\n")) return undefined;
  // Text dumps set a no-break space after the number ("1.1.\u00a0Anatomy") in the heading but not in its contents entry.
  const line = paragraph.replace(/\s+/g, " ").trim();
  const m = NUMBERED.exec(line);
  if (!m || SENTENCE_END.test(line)) return undefined;
  const dotted = m[3];
  const level = dotted !== undefined ? dotted.split(".").length : 1;
  return { level, text: line, outline: m[1] !== undefined || (dotted?.includes(".") ?? false) };
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
  if (lines.length < 2 || lines.some((l) => indentOf(l) !== indent || LIST_LINE.test(l))) return paragraph;
  return lines.map((l) => l.trim()).join(" ");
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
    const listed = heading !== undefined ? headings.slice(i + 1).some((h) => h?.text === heading.text) : p.split("\n").every((l) => numberedHeading(l) !== undefined);
    if (inContents && listed) return;
    inContents = false;
    if (RULE.test(p)) return;
    if (heading !== undefined) builder.heading(heading.level, heading.text);
    else if (PROMPT.test(p)) builder.block("code", dedent(p));
    else if (isTerm(p, paragraphs[i + 1])) term = `${p.trim()}: `;
    else builder.add(term + reflow(cleanProse(term ? p.trim() : p)));
    if (!isTerm(p, paragraphs[i + 1]) || heading !== undefined) term = "";
  });
  return builder.finish();
}
