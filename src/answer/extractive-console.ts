import { type TextSpan, trimSpan } from "../text/sentences.js";

/**
 * Console sessions in a source: a paragraph whose first line starts at a shell prompt holds a command and what it
 * printed, line by line. Split into sentences, its lines are cut at "..." ("Reading Package Lists..." / "Done") and
 * joined across line breaks ("# apt-get check Reading Package Lists..."), and quoted as prose; each of its lines is
 * one span here, so the composer quotes it as a block.
 */

/**
 * A shell prompt opening a line: "# apt-get check", "$ ls -l", "user@host:~$ make". The command after it starts in
 * lower case or is a path: a Markdown heading ("# Setup") or an amount ("$ 25") is no prompt. Looser than the text
 * loader's PROMPT (ingest/loaders/text-structure.ts), which turns only "$ cmd" / "# cmd" paragraphs into code blocks.
 */
const PROMPT_LINE_RE = /^[ \t]*(?:[#$]|[\w.-]+@[\w.-]+(?::\S*?)?[#$])[ \t]+[a-z./~]/u;
const BLANK_LINE_RE = /\n[^\S\n]*\n\s*/g;

/** Spans of the lines of a console paragraph, and spans of all text outside such paragraphs, in text order. */
export interface ConsoleSplit {
  spans: TextSpan[];
  /** Indices into `spans` of console lines. */
  lines: Set<number>;
}

/**
 * `spans` (sentence spans of `text`) with every console paragraph (see the module comment) re-cut into one span per
 * line; the parts of any span outside those paragraphs are kept as they were.
 */
export function consoleLines(text: string, spans: readonly TextSpan[]): ConsoleSplit {
  const blocks = consoleParagraphs(text);
  if (blocks.length === 0) return { spans: [...spans], lines: new Set() };
  const pieces: Array<TextSpan & { console: boolean }> = [];
  for (const span of spans) for (const part of outside(text, span, blocks)) pieces.push({ ...part, console: false });
  for (const block of blocks) for (const line of linesOf(text, block)) pieces.push({ ...line, console: true });
  pieces.sort((a, b) => a.start - b.start);
  const lines = new Set<number>();
  pieces.forEach((p, i) => p.console && lines.add(i));
  return { spans: pieces.map(({ start, end }) => ({ start, end })), lines };
}

/** Paragraphs (blank-line separated) whose first line starts at a shell prompt. */
function consoleParagraphs(text: string): TextSpan[] {
  const out: TextSpan[] = [];
  let start = 0;
  const push = (end: number): void => {
    if (PROMPT_LINE_RE.test(text.slice(start, end))) out.push({ start, end });
  };
  for (const m of text.matchAll(BLANK_LINE_RE)) {
    push(m.index);
    start = m.index + m[0].length;
  }
  push(text.length);
  return out;
}

/** The parts of `span` outside every block, trimmed. */
function outside(text: string, span: TextSpan, blocks: readonly TextSpan[]): TextSpan[] {
  let parts: TextSpan[] = [span];
  for (const b of blocks) {
    if (b.end <= span.start || b.start >= span.end) continue;
    parts = parts.flatMap((p) => [{ start: p.start, end: Math.min(p.end, b.start) }, { start: Math.max(p.start, b.end), end: p.end }]);
  }
  return parts.flatMap((p) => trimSpan(text, p.start, p.end) ?? []);
}

/** Each non-blank line of `block`, without its indentation and trailing spaces. */
function linesOf(text: string, block: TextSpan): TextSpan[] {
  const out: TextSpan[] = [];
  let at = block.start;
  for (const line of text.slice(block.start, block.end).split("\n")) {
    const lead = line.length - line.trimStart().length;
    const body = line.trim();
    if (body !== "") out.push({ start: at + lead, end: at + lead + body.length });
    at += line.length + 1;
  }
  return out;
}
