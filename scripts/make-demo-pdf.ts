/**
 * Renders the demo manual (Markdown) to a multi-page PDF so the PDF loader can be demonstrated on a file we own.
 * The PDF is generated, never committed: `npx tsx scripts/make-demo-pdf.ts [IN.md] [OUT.pdf]`.
 *
 * Uses the standard Helvetica fonts (WinAnsi encoding), so it is meant for Latin text only: characters outside
 * WinAnsi (CJK, most symbols) are transliterated where a close equivalent exists and replaced by "?" otherwise.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from "pdf-lib";

export interface MarkdownPdfOptions {
  /** Running header printed at the top of every page. */
  header?: string;
}

export const DEFAULT_HEADER = "Lumio HomeHub 3 — User Manual";

type Block =
  | { kind: "heading"; level: number; text: string }
  | { kind: "paragraph"; text: string }
  | { kind: "item"; marker: string; depth: number; text: string }
  | { kind: "table"; rows: string[][] }
  | { kind: "code"; lines: string[] };

const PAGE_W = 595.28; // A4
const PAGE_H = 841.89;
const MARGIN_X = 56;
const TOP_Y = PAGE_H - 72;
const BOTTOM_Y = 64;
const BODY_SIZE = 10.5;
const LINE = 14;
const HEADING_SIZES = [20, 16, 13, 11.5];
const TEXT_WIDTH = PAGE_W - 2 * MARGIN_X;

/** Lines that start a block other than a paragraph; a paragraph ends where one of them begins. */
const BLOCK_START = /^(#{1,6}\s|\s*([-*+]|\d+[.)])\s|\||```)/;

/** Splits Markdown into the few block types the demo manual uses. Inline markup is stripped later. */
export function parseMarkdown(markdown: string): Block[] {
  // Front matter (product/language for the loader) is metadata, not page content.
  const lines = markdown.replace(/\r\n?/g, "\n").replace(/^---\n[\s\S]*?\n---\n/, "").split("\n");
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? "";
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    const item = /^(\s*)([-*+]|\d+[.)])\s+(.*)$/.exec(line);
    if (line.trim() === "") {
      i++;
    } else if (heading) {
      blocks.push({ kind: "heading", level: heading[1]?.length ?? 1, text: heading[2] ?? "" });
      i++;
    } else if (line.startsWith("```")) {
      const end = lines.findIndex((l, j) => j > i && l.startsWith("```"));
      const stop = end === -1 ? lines.length : end;
      blocks.push({ kind: "code", lines: lines.slice(i + 1, stop) });
      i = stop + 1;
    } else if (line.trimStart().startsWith("|")) {
      const rows: string[][] = [];
      for (; i < lines.length && (lines[i] ?? "").trimStart().startsWith("|"); i++) {
        const cells = splitRow(lines[i] ?? "");
        if (!cells.every((c) => /^:?-{2,}:?$/.test(c))) rows.push(cells);
      }
      blocks.push({ kind: "table", rows });
    } else if (item) {
      const marker = /^\d/.test(item[2] ?? "") ? (item[2] ?? "") : "\u2022";
      blocks.push({ kind: "item", marker, depth: Math.floor((item[1]?.length ?? 0) / 2), text: item[3] ?? "" });
      i++;
    } else {
      const parts: string[] = [];
      for (; i < lines.length && (lines[i] ?? "").trim() !== "" && (parts.length === 0 || !BLOCK_START.test(lines[i] ?? "")); i++) {
        parts.push((lines[i] ?? "").trim());
      }
      blocks.push({ kind: "paragraph", text: parts.join(" ") });
    }
  }
  return blocks;
}

function splitRow(line: string): string[] {
  return line.trim().replace(/^\|/, "").replace(/\|$/, "").split("|").map((c) => c.trim());
}

/** Removes inline Markdown (emphasis, code, links) since the renderer draws each run in one font. */
function stripInline(text: string): string {
  return text
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/(\*\*|__)(.+?)\1/g, "$2")
    .replace(/(^|[^*\w])\*(?!\s)(.+?)\*/g, "$1$2")
    .replace(/`([^`]*)`/g, "$1");
}

const TRANSLITERATIONS: Record<string, string> = {
  "\u2212": "-", "\u2192": "->", "\u2190": "<-", "\u2265": ">=", "\u2264": "<=", "\u2011": "-", "\u00a0": " ",
  "\u2009": " ", "\u202f": " ", "\u2713": "v", "\u2715": "x", "\u2248": "~", "\u2026": "...", "\u2033": "\"",
};

/** Text rendering backed by one regular and one bold standard font, restricted to characters they can encode. */
class Typesetter {
  private readonly supported: Set<number>;

  constructor(
    readonly regular: PDFFont,
    readonly bold: PDFFont,
    readonly mono: PDFFont,
  ) {
    this.supported = new Set(regular.getCharacterSet());
  }

  /** WinAnsi cannot encode everything; pdf-lib would throw, so unknown characters become "?". */
  clean(text: string): string {
    let out = "";
    for (const ch of stripInline(text)) {
      const mapped = TRANSLITERATIONS[ch] ?? ch;
      for (const c of mapped) out += this.supported.has(c.codePointAt(0) ?? 0) ? c : "?";
    }
    return out;
  }

  /** Greedy word wrap; words wider than the line are broken by characters. */
  wrap(text: string, font: PDFFont, size: number, width: number): string[] {
    const lines: string[] = [];
    let current = "";
    for (const word of text.split(/\s+/).filter((w) => w !== "")) {
      const candidate = current === "" ? word : `${current} ${word}`;
      if (font.widthOfTextAtSize(candidate, size) <= width) {
        current = candidate;
        continue;
      }
      if (current !== "") lines.push(current);
      current = word;
      while (font.widthOfTextAtSize(current, size) > width && current.length > 1) {
        let cut = current.length - 1;
        while (cut > 1 && font.widthOfTextAtSize(current.slice(0, cut), size) > width) cut--;
        lines.push(current.slice(0, cut));
        current = current.slice(cut);
      }
    }
    if (current !== "") lines.push(current);
    return lines.length > 0 ? lines : [""];
  }
}

/** Cursor over the pages being written: knows the current page and how much vertical space is left. */
class Layout {
  page: PDFPage;
  y = TOP_Y;

  constructor(
    private readonly doc: PDFDocument,
    readonly type: Typesetter,
  ) {
    this.page = doc.addPage([PAGE_W, PAGE_H]);
  }

  ensure(height: number): void {
    if (this.y - height < BOTTOM_Y && this.y < TOP_Y) {
      this.page = this.doc.addPage([PAGE_W, PAGE_H]);
      this.y = TOP_Y;
    }
  }

  lines(lines: string[], x: number, font: PDFFont, size: number, lineHeight: number): void {
    for (const line of lines) {
      this.ensure(lineHeight);
      this.page.drawText(line, { x, y: this.y - size, size, font, color: rgb(0.1, 0.1, 0.1) });
      this.y -= lineHeight;
    }
  }
}

function drawHeading(layout: Layout, level: number, text: string): void {
  const size = HEADING_SIZES[Math.min(level, HEADING_SIZES.length) - 1] ?? BODY_SIZE;
  const lineHeight = size * 1.3;
  const lines = layout.type.wrap(layout.type.clean(text), layout.type.bold, size, TEXT_WIDTH);
  layout.y -= level <= 2 ? 14 : 8;
  // Keep a heading with at least three lines of what follows it.
  layout.ensure(lines.length * lineHeight + 3 * LINE);
  layout.lines(lines, MARGIN_X, layout.type.bold, size, lineHeight);
  layout.y -= 4;
}

function drawItem(layout: Layout, marker: string, depth: number, text: string): void {
  const indent = MARGIN_X + 6 + depth * 16;
  const textX = indent + 16;
  const lines = layout.type.wrap(layout.type.clean(text), layout.type.regular, BODY_SIZE, PAGE_W - MARGIN_X - textX);
  layout.ensure(LINE);
  layout.page.drawText(layout.type.clean(marker), { x: indent, y: layout.y - BODY_SIZE, size: BODY_SIZE, font: layout.type.regular });
  layout.lines(lines, textX, layout.type.regular, BODY_SIZE, LINE);
  layout.y -= 2;
}

function columnWidths(type: Typesetter, rows: string[][], columns: number): number[] {
  const natural = Array.from({ length: columns }, (_, c) =>
    Math.min(220, Math.max(40, ...rows.map((r) => type.regular.widthOfTextAtSize(type.clean(r[c] ?? ""), 9) + 10))),
  );
  const total = natural.reduce((a, b) => a + b, 0);
  return natural.map((w) => (w / total) * TEXT_WIDTH);
}

function drawTable(layout: Layout, rows: string[][]): void {
  const columns = Math.max(...rows.map((r) => r.length));
  const widths = columnWidths(layout.type, rows, columns);
  const size = 9;
  const lineHeight = 11.5;
  layout.y -= 4;
  rows.forEach((row, r) => {
    const font = r === 0 ? layout.type.bold : layout.type.regular;
    const cells = widths.map((w, c) => layout.type.wrap(layout.type.clean(row[c] ?? ""), font, size, w - 8));
    const height = Math.max(...cells.map((l) => l.length)) * lineHeight + 6;
    layout.ensure(height);
    let x = MARGIN_X;
    cells.forEach((lines, c) => {
      lines.forEach((line, k) => layout.page.drawText(line, { x: x + 4, y: layout.y - 3 - size - k * lineHeight, size, font }));
      x += widths[c] ?? 0;
    });
    layout.y -= height;
    const thickness = r === 0 ? 0.8 : 0.3;
    layout.page.drawLine({ start: { x: MARGIN_X, y: layout.y }, end: { x: PAGE_W - MARGIN_X, y: layout.y }, thickness, color: rgb(0.6, 0.6, 0.6) });
  });
  layout.y -= 8;
}

function drawBlock(layout: Layout, block: Block): void {
  const type = layout.type;
  switch (block.kind) {
    case "heading":
      return drawHeading(layout, block.level, block.text);
    case "paragraph":
      layout.lines(type.wrap(type.clean(block.text), type.regular, BODY_SIZE, TEXT_WIDTH), MARGIN_X, type.regular, BODY_SIZE, LINE);
      layout.y -= 6;
      return;
    case "item":
      return drawItem(layout, block.marker, block.depth, block.text);
    case "table":
      return drawTable(layout, block.rows);
    case "code":
      layout.lines(block.lines.map((l) => type.clean(l)), MARGIN_X + 8, type.mono, 9, 12);
      layout.y -= 6;
      return;
  }
}

/** Draws the running header and "Page i of n" footer once the page count is known. */
function drawChrome(doc: PDFDocument, type: Typesetter, header: string): void {
  const pages = doc.getPages();
  const title = type.clean(header);
  const grey = rgb(0.4, 0.4, 0.4);
  pages.forEach((page, i) => {
    page.drawText(title, { x: MARGIN_X, y: PAGE_H - 40, size: 9, font: type.regular, color: grey });
    page.drawLine({ start: { x: MARGIN_X, y: PAGE_H - 46 }, end: { x: PAGE_W - MARGIN_X, y: PAGE_H - 46 }, thickness: 0.5, color: grey });
    const footer = `Page ${i + 1} of ${pages.length}`;
    const width = type.regular.widthOfTextAtSize(footer, 9);
    page.drawText(footer, { x: (PAGE_W - width) / 2, y: 36, size: 9, font: type.regular, color: grey });
  });
}

/**
 * Renders Markdown (headings, paragraphs, bullet and numbered lists, pipe tables, fenced code) to an A4 PDF with a
 * running header and page-numbered footer on every page. Latin text only (standard fonts, WinAnsi).
 */
export async function markdownToPdf(markdown: string, options: MarkdownPdfOptions = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const type = new Typesetter(
    await doc.embedFont(StandardFonts.Helvetica),
    await doc.embedFont(StandardFonts.HelveticaBold),
    await doc.embedFont(StandardFonts.Courier),
  );
  const blocks = parseMarkdown(markdown);
  const firstHeading = blocks.find((b) => b.kind === "heading");
  doc.setTitle(type.clean(firstHeading?.kind === "heading" ? firstHeading.text : options.header ?? DEFAULT_HEADER));
  doc.setProducer("groundline make-demo-pdf");
  const layout = new Layout(doc, type);
  blocks.forEach((block, i) => {
    if (block.kind !== "item" && blocks[i - 1]?.kind === "item") layout.y -= 6;
    drawBlock(layout, block);
  });
  drawChrome(doc, type, options.header ?? DEFAULT_HEADER);
  return doc.save();
}

async function main(argv: string[]): Promise<void> {
  const input = argv[0] ?? "corpora/manual/lumio-homehub-3.md";
  const output = argv[1] ?? "data/demo/lumio-homehub-3.pdf";
  const bytes = await markdownToPdf(await readFile(input, "utf8"));
  await mkdir(path.dirname(output), { recursive: true });
  await writeFile(output, bytes);
  const pages = (await PDFDocument.load(bytes)).getPageCount();
  console.log(`wrote ${output} (${pages} pages, ${bytes.length} bytes) from ${input}`);
}

const invokedPath = process.argv[1];
if (invokedPath !== undefined && import.meta.url === pathToFileURL(path.resolve(invokedPath)).href) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(`make-demo-pdf: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  });
}
