import type { PageStart, Section, TextBlock } from "../../src/domain/document.js";
import { sentenceSpans } from "../../src/text/sentences.js";
import type { TypedLine, TypedPage } from "./pdf-pages.js";
import { columns, joint, JOINT_TEXT, LIST_ITEM, percentile } from "./pdf-text.js";
import { LEAD_IN } from "./lead-in.js";
import { labelled } from "./normalize.js";
import { ADMONITION_LINE_RE } from "../../src/text/admonitions.js";

/** A monospace character is about this wide relative to the font size (indentation from x offsets). */
const MONO_ADVANCE = 0.6;

type CodeLine = Extract<TypedLine, { kind: "code" }>;
type RowLine = Extract<TypedLine, { kind: "row" }>;

/** Builds sections from typed pages: headings open sections, text is joined into paragraphs, blocks keep their lines. */
class PdfSectionBuilder {
  readonly sections: Section[] = [];
  private readonly stack: Array<{ level: number; text: string }> = [];
  private text = "";
  private pageStarts: PageStart[] = [];
  private blocks: TextBlock[] = [];
  private waiting: PageStart[] = [];
  private current: PageStart | undefined;
  private prev: string | undefined;
  private inList = false;
  /** Footnotes waiting for the paragraph they interrupted to end. */
  private notes: string[] = [];

  constructor(private readonly width: number) {}

  page(num: number, label: string | undefined): void {
    this.current = { offset: 0, page: num, ...(label !== undefined ? { label } : {}) };
    this.waiting.push(this.current);
    // A paragraph may continue across pages; a blank line does not (pdf.js gives none between pages).
  }

  heading(level: number, text: string): void {
    this.emitNotes();
    this.flush();
    while (this.stack.length > 0 && (this.stack[this.stack.length - 1]?.level ?? 0) >= level) this.stack.pop();
    this.stack.push({ level, text });
  }

  line(text: string): void {
    if (this.prev !== undefined && this.notes.length > 0 && joint(this.prev, text, this.width, this.inList) === "paragraph") this.emitNotes();
    if (this.prev !== undefined && this.labelAlone(this.prev)) {
      // "Tip" set apart on its own line labels the paragraph after it ("Tip: The detailed log…"), not a sentence.
      this.inList = LIST_ITEM.test(text);
      // A label with its own colon ("Note:", "提示：") keeps it, followed by a space after a Latin one only.
      this.append(/：\s*$/.test(this.prev) ? "" : /:\s*$/.test(this.prev) ? " " : ": ", text);
    } else if (this.prev !== undefined) {
      // A label line ("Note:", "WARNING") opens a box, whatever the line before it looks like.
      const j = ADMONITION_LINE_RE.test(text) ? "paragraph" : joint(this.prev, text, this.width, this.inList);
      if (j === "dehyphenate") this.text = this.text.slice(0, -1);
      if (j === "line" || j === "paragraph") this.inList = LIST_ITEM.test(text);
      this.append(JOINT_TEXT[j], text);
    } else {
      this.inList = LIST_ITEM.test(text);
      this.append(this.text.length > 0 ? "\n\n" : "", text);
    }
    this.prev = text;
  }

  /**
   * Whether the current paragraph is nothing but an admonition label (`prev`, the last line): as DocBook and LaTeX set
   * "Tip" or "WARNING" above the paragraph; the labels are the composer's (src/text/admonitions.ts).
   */
  private labelAlone(prev: string): boolean {
    return ADMONITION_LINE_RE.test(prev) && this.text.endsWith(prev) && /(?:^|\n\n)$/.test(this.text.slice(0, this.text.length - prev.length));
  }

  /** A footnote: held until the paragraph it interrupted ends (it often goes on to the next page), then its own paragraph. */
  note(text: string): void {
    this.notes.push(text);
  }

  private emitNotes(): void {
    for (const note of this.notes) this.append(this.text.length > 0 ? "\n\n" : "", note);
    if (this.notes.length > 0) {
      this.prev = undefined;
      this.inList = false;
    }
    this.notes = [];
  }

  code(lines: CodeLine[]): void {
    const left = Math.min(...lines.map((l) => l.x));
    const body = lines.map((l) => " ".repeat(Math.max(0, Math.round((l.x - left) / (MONO_ADVANCE * l.height)))) + l.text).join("\n");
    this.block("code", body);
  }

  table(rows: RowLine[]): void {
    const [header, ...rest] = rows;
    if (!header) return;
    if (!looksLikeHeader(header)) {
      // A run of data rows (its header is wrapped or drawn apart): each row as its cells.
      this.block("table", rows.map((r) => r.cells.map((c) => c.text).join(" | ")).join("\n"));
      return;
    }
    const names = header.cells.map((c) => c.text);
    const units = rest.map((row) => {
      const values = names.map(() => [] as string[]);
      for (const cell of row.cells) values[nearestColumn(header.cells, cell.x)]?.push(cell.text);
      // Each row carries its header cells, so a row read alone still says what each value is.
      return names.map((n, i) => labelled(n, values[i]?.join(" ") ?? "").trim()).filter((s) => !s.endsWith(":")).join(" | ");
    });
    this.block("table", units.join("\n"));
  }

  finish(): Section[] {
    this.emitNotes();
    this.flush();
    return this.sections;
  }

  /** Appends a block; a lead-in just before it, or the same kind of block just before it (a page break), joins it. */
  private block(kind: "code" | "table", body: string): void {
    if (body.trim().length === 0) return;
    const last = this.blocks[this.blocks.length - 1];
    if (last && last.kind === kind && last.end === this.text.length && this.prev === undefined) {
      this.append("\n", body);
      last.end = this.text.length;
      return;
    }
    if (this.notes.length > 0 && this.prev === undefined) this.emitNotes();
    const lead = this.leadIn();
    this.append(this.text.length === 0 ? "" : lead === undefined ? "\n\n" : "\n", body);
    const start = this.text.length - body.length;
    this.blocks.push({ start, end: this.text.length, kind, ...(lead !== undefined ? { leadStart: lead } : {}) });
    this.prev = undefined;
    this.inList = false;
  }

  /** Start of the last sentence of the text when it introduces what follows. */
  private leadIn(): number | undefined {
    if (this.prev === undefined || !LEAD_IN.test(this.text)) return undefined;
    const from = this.text.lastIndexOf("\n\n") + 1;
    const last = sentenceSpans(this.text.slice(from)).pop();
    return last === undefined ? undefined : from + last.start;
  }

  private append(separator: string, text: string): void {
    this.text += separator;
    for (const p of this.waiting) this.pageStarts.push({ ...p, offset: this.text.length });
    this.waiting = [];
    this.text += text;
  }

  private flush(): void {
    if (this.text.trim().length > 0) {
      this.sections.push({ path: this.stack.map((h) => h.text), text: this.text, pageStarts: this.pageStarts, ...(this.blocks.length > 0 ? { blocks: this.blocks } : {}) });
      // The next section starts on the page this one ended on, unless a new page is already waiting.
      if (this.waiting.length === 0 && this.current) this.waiting.push(this.current);
    } else {
      this.waiting = [...this.pageStarts, ...this.waiting];
    }
    this.text = "";
    this.pageStarts = [];
    this.blocks = [];
    this.prev = undefined;
    this.inList = false;
  }
}

/** A header row names columns: no list bullets, and mostly words rather than numbers. */
function looksLikeHeader(row: RowLine): boolean {
  const numeric = row.cells.filter((c) => /\d/.test(c.text) && !/\p{L}{3,}/u.test(c.text)).length;
  return !row.cells.some((c) => /^[•·▪●◦-]\s/.test(c.text)) && numeric * 2 < row.cells.length;
}

function nearestColumn(header: ReadonlyArray<{ x: number }>, x: number): number {
  let best = 0;
  header.forEach((c, i) => {
    if (Math.abs(c.x - x) < Math.abs((header[best]?.x ?? 0) - x)) best = i;
  });
  return best;
}

/** Feeds one page's lines to the builder, grouping consecutive code lines and table rows into blocks. */
function feedPage(builder: PdfSectionBuilder, page: TypedPage): void {
  builder.page(page.num, page.label);
  const lines = page.lines;
  for (let i = 0; i < lines.length; ) {
    const line = lines[i]!;
    if (line.kind === "code" || line.kind === "row") {
      let j = i;
      while (j < lines.length && lines[j]!.kind === line.kind) j++;
      if (line.kind === "code") builder.code(lines.slice(i, j) as CodeLine[]);
      else builder.table(lines.slice(i, j) as RowLine[]);
      i = j;
      continue;
    }
    if (line.kind === "heading") builder.heading(line.level, line.text);
    else if (line.kind === "note") builder.note(line.text);
    else builder.line(line.text);
    i++;
  }
}

/**
 * Sections of a PDF from its typed pages: one per heading (path = the enclosing headings), with page starts (and
 * printed labels) and code/table blocks; headings themselves are not body text (they travel as the path).
 */
export function buildPdfSections(pages: readonly TypedPage[]): Section[] {
  const textLines = pages.flatMap((p) => p.lines.flatMap((l) => (l.kind === "text" ? [columns(l.text)] : [])));
  const builder = new PdfSectionBuilder(percentile(textLines, 0.8));
  for (const page of pages) feedPage(builder, page);
  return builder.finish();
}
