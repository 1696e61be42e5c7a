import type { LoadedDocument } from "../../src/domain/document.js";
import {
  definedOnly,
  fileLabel,
  fileNameTitle,
  finalizeDocument,
  languageTag,
  type LoaderInput,
  normalizeInline,
  normalizeText,
  labelled,
} from "./normalize.js";
import { SectionBuilder } from "./section-builder.js";

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const LINK_DEFINITION = /^ {0,3}\[[^\]]+\]:\s*\S+/;
const LIST_ITEM = /^\s*(?:[-*+]|\d{1,9}[.)])\s/;
const TABLE_DELIMITER = /^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$/;

function tableCells(line: string): string[] {
  return line.trim().replace(/^\|/, "").replace(/\|$/, "").split(/(?<!\\)\|/).map((c) => normalizeInline(stripInline(c)));
}

/** A pipe table as one line per row, each value with its column's header ("Model: M5 | Ports: 4"). */
function pipeTableText(lines: readonly string[]): string {
  const names = tableCells(lines[0] ?? "");
  return lines
    .slice(2)
    .map((row) =>
      tableCells(row)
        .map((c, i) => (names[i] && c.length > 0 ? labelled(names[i], c) : c))
        .filter((c) => c.length > 0)
        .join(" | "),
    )
    .join("\n");
}

/** Simple `key: value` front matter; nested YAML is ignored (we only need a few scalar fields). */
export function parseFrontMatter(text: string): { meta: Record<string, string>; body: string } {
  const m = /^---\n([\s\S]*?)\n(?:---|\.\.\.)(?:\n|$)/.exec(text);
  if (!m) return { meta: {}, body: text };
  const meta: Record<string, string> = {};
  for (const line of (m[1] ?? "").split("\n")) {
    const kv = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line);
    if (!kv?.[1]) continue;
    const value = (kv[2] ?? "").trim().replace(/^(["'])(.*)\1$/, "$2").trim();
    if (value.length > 0) meta[kv[1].toLowerCase()] = value;
  }
  return { meta, body: text.slice(m[0].length) };
}

/** Markdown inline syntax to plain text: links keep their text, images vanish, emphasis markers go. */
export function stripInline(line: string): string {
  // Odd-indexed pieces are code spans, which stay verbatim.
  return line
    .split(/(`+[^`]*`+)/)
    .map((piece, i) => (i % 2 === 1 ? piece : stripInlineOutsideCode(piece)))
    .join("");
}

function stripInlineOutsideCode(s: string): string {
  return s
    .replace(/[ \t]*!\[[^\]]*\]\([^)]*\)/g, "")
    .replace(/[ \t]*!\[[^\]]*\]\[[^\]]*\]/g, "")
    .replace(/\[([^\]]*)\]\([^)\s]*(?:\s+(?:"[^"]*"|'[^']*'))?\)/g, "$1")
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, "$1")
    .replace(/<((?:https?|mailto):[^>\s]+)>/g, "$1")
    .replace(/<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?\/?>/g, "")
    .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, "$2")
    .replace(/~~(?=\S)(.+?)(?<=\S)~~/g, "$1")
    .replace(/(^|[^\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])/g, "$1$2")
    .replace(/(^|[^\w])_(?=\S)([^_]+?)(?<=\S)_(?!\w)/g, "$1$2");
}

/** Removes HTML comments (possibly spanning lines) from one line; returns the new in-comment state. */
function dropComments(line: string, inComment: boolean): { text: string; inComment: boolean } {
  let rest = line;
  let out = "";
  let open = inComment;
  for (;;) {
    if (open) {
      const end = rest.indexOf("-->");
      if (end < 0) return { text: out, inComment: true };
      rest = rest.slice(end + 3);
      open = false;
    }
    const start = rest.indexOf("<!--");
    if (start < 0) return { text: out + rest, inComment: false };
    out += rest.slice(0, start);
    rest = rest.slice(start + 4);
    open = true;
  }
}

/** Reads Markdown line by line, feeding prose to the section builder and headings to its path. */
class MarkdownWalker {
  private fence: { char: string; length: number } | undefined;
  private inComment = false;
  /** Prose lines of the paragraph being read (a setext underline applies to exactly one such line). */
  private paragraphLines = 0;
  private pending: string[] = [];
  private code: string[] = [];
  private table: string[] = [];

  constructor(private readonly builder: SectionBuilder) {}

  line(raw: string): void {
    if (this.fence) {
      this.code.push(raw);
      if (isFenceClose(raw, this.fence)) this.closeFence();
      return;
    }
    const fence = FENCE_OPEN.exec(raw);
    if (fence?.[1] && !(fence[1].startsWith("`") && (fence[2] ?? "").includes("`"))) {
      this.endTable();
      this.fence = { char: fence[1].charAt(0), length: fence[1].length };
      this.paragraphLines = 0;
      this.code = [raw];
      return;
    }
    const uncommented = dropComments(raw, this.inComment);
    const hadComment = this.inComment || uncommented.text !== raw;
    this.inComment = uncommented.inComment;
    if (hadComment && uncommented.text.trim().length === 0) return;
    this.prose(uncommented.text);
  }

  finish(): void {
    if (this.fence) this.closeFence();
    this.endTable();
    this.flush();
  }

  /** A fenced block, verbatim with its fences (the reader sees it is code), attached to the sentence introducing it. */
  private closeFence(): void {
    this.fence = undefined;
    this.flush();
    this.builder.block("code", this.code.join("\n"));
    this.code = [];
  }

  /** Lines with pipes wait here: with a delimiter row under the first they are a table, else prose. */
  private endTable(): void {
    const lines = this.table;
    this.table = [];
    if (lines.length >= 2 && TABLE_DELIMITER.test(lines[1] ?? "")) {
      this.flush();
      this.builder.block("table", pipeTableText(lines));
      return;
    }
    for (const l of lines) this.pending.push(stripInline(l));
  }

  private prose(line: string): void {
    if (line.includes("|") && (this.table.length > 0 || this.paragraphLines === 0)) {
      this.table.push(line);
      this.paragraphLines = 2;
      return;
    }
    this.endTable();
    const setext = SETEXT.exec(line);
    if (setext?.[1] && this.paragraphLines === 1) {
      const headingLine = this.pending.pop() ?? "";
      this.heading(setext[1].startsWith("=") ? 1 : 2, headingLine);
      return;
    }
    const atx = ATX.exec(line);
    if (atx?.[1]) {
      this.heading(atx[1].length, atx[2] ?? "");
      return;
    }
    if (THEMATIC_BREAK.test(line) || LINK_DEFINITION.test(line)) {
      this.paragraphLines = 0;
      return;
    }
    const blank = line.trim().length === 0;
    // List items never become setext headings, so they count as "more than one line".
    this.paragraphLines = blank ? 0 : LIST_ITEM.test(line) ? 2 : this.paragraphLines + 1;
    this.pending.push(stripInline(line));
  }

  private heading(level: number, text: string): void {
    this.endTable();
    this.flush();
    this.builder.heading(level, normalizeInline(stripInline(text)));
    this.paragraphLines = 0;
  }

  private flush(): void {
    for (const l of this.pending) this.builder.add(l);
    this.pending = [];
  }
}

function isFenceClose(line: string, fence: { char: string; length: number }): boolean {
  const m = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
  return m?.[1] !== undefined && m[1].charAt(0) === fence.char && m[1].length >= fence.length;
}

/**
 * Markdown: ATX and setext headings form the section paths; front matter supplies title/url/product/language;
 * code fences are kept verbatim; links become their text; images, HTML comments and link definitions vanish.
 * Title: override, else front-matter title, else first H1, else the file name.
 */
export function loadMarkdown(text: string, input: LoaderInput): LoadedDocument {
  const { meta, body } = parseFrontMatter(normalizeText(text));
  const builder = new SectionBuilder("\n");
  const walker = new MarkdownWalker(builder);
  for (const line of body.split("\n")) walker.line(line);
  walker.finish();
  const sections = builder.finish();
  const doc: LoadedDocument = definedOnly({
    id: input.id,
    title: input.title ?? meta["title"] ?? builder.firstHeading ?? fileNameTitle(input),
    sourceType: "manual" as const,
    format: "text/markdown",
    sections,
    product: meta["product"],
    language: languageTag(meta["language"] ?? meta["lang"]),
    url: meta["url"] ?? meta["canonical_url"],
    sourcePath: input.sourcePath,
  });
  return finalizeDocument(doc, fileLabel(input));
}
