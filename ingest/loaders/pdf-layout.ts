import { pageLines } from "./pdf-text.js";

/** What pdf.js's `getTextContent()` returns that layout needs (a structural subset of its TextContent). */
export interface PdfTextContent {
  items: ReadonlyArray<PdfTextItem | { type: string }>;
  styles: Record<string, { fontFamily?: string } | undefined>;
}

export interface PdfTextItem {
  str: string;
  /** Text matrix: [4] is x, [5] is y (PDF user space, y grows upwards). */
  transform: number[];
  width: number;
  height: number;
  fontName: string;
  hasEOL: boolean;
}

/** One visual line of a page. */
export interface PdfLine {
  /** Cleaned text (whitespace collapsed, ligatures expanded). */
  text: string;
  /** Left edge and baseline. */
  x: number;
  y: number;
  /** Font size (largest on the line). */
  height: number;
  /** Every glyph run on the line is in a monospace font: code, commands, literal output. */
  mono: boolean;
  /** Runs of text separated by wide gaps (table cells), left to right; one cell for ordinary lines. */
  cells: Array<{ x: number; text: string }>;
}

/** A gap wider than this many font sizes separates table cells. */
const CELL_GAP = 1.5;
/** A gap wider than this share of the font size is a space between words. */
const WORD_GAP = 0.15;

function isTextItem(item: PdfTextItem | { type: string }): item is PdfTextItem {
  return "str" in item;
}

interface Run {
  x: number;
  end: number;
  y: number;
  height: number;
  mono: boolean;
  str: string;
}

/** Groups a page's glyph runs into lines (same baseline), left to right. */
function groupRuns(content: PdfTextContent): Run[][] {
  const lines: Run[][] = [];
  let current: Run[] = [];
  let lastY: number | undefined;
  for (const item of content.items) {
    if (!isTextItem(item)) continue;
    const [x = 0, y = 0] = [item.transform[4], item.transform[5]];
    const height = item.height || Math.abs(item.transform[3] ?? 0);
    const lineY = current[0]?.y;
    // A raised footnote number (smaller, above the baseline) stays on its line, measured against the line's own size.
    const raised = lineY !== undefined && isRaisedMarker(item.str, height, y, current[0]!.height, lineY);
    const sameLine = raised || (lastY !== undefined && Math.abs(lastY - y) <= Math.max(1, 0.4 * height));
    if (!sameLine && current.length > 0) {
      lines.push(current);
      current = [];
    }
    if (raised) continue;
    if (item.str.length > 0) {
      const mono = content.styles[item.fontName]?.fontFamily === "monospace";
      current.push({ x, end: x + item.width, y, height, mono, str: item.str });
    }
    lastY = y;
  }
  if (current.length > 0) lines.push(current);
  return lines.map((runs) => [...runs].sort((a, b) => a.x - b.x));
}

/** Superscripts are set at most this share of the line's size... */
const MARKER_SIZE = 0.8;
/** ...and raised at least this share of it above the line's baseline. */
const MARKER_RISE = 0.2;

/**
 * A footnote reference: one to three digits, smaller than the line's text and raised above its baseline (within one
 * line height). Left out of the text, where it would read as part of the sentence ("developer, 1 you can").
 */
function isRaisedMarker(str: string, height: number, y: number, lineHeight: number, lineY: number): boolean {
  const rise = y - lineY;
  return /^\s*\d{1,3}\s*$/.test(str) && height <= MARKER_SIZE * lineHeight && rise >= MARKER_RISE * lineHeight && rise <= lineHeight;
}

function toLine(runs: Run[]): PdfLine | undefined {
  const visible = runs.filter((r) => r.str.trim().length > 0);
  const first = visible[0];
  if (!first) return undefined;
  const height = Math.max(...visible.map((r) => r.height));
  const cells: Array<{ x: number; text: string }> = [];
  let raw = "";
  let cell = "";
  let cellX = first.x;
  let prevEnd: number | undefined;
  for (const run of visible) {
    const gap = prevEnd === undefined ? 0 : run.x - prevEnd;
    if (prevEnd !== undefined && gap > CELL_GAP * height) {
      cells.push({ x: cellX, text: clean(cell) });
      cell = "";
      cellX = run.x;
    }
    const sep = prevEnd !== undefined && gap > WORD_GAP * height ? " " : "";
    raw += sep + run.str;
    cell += (cell.length > 0 ? sep : "") + run.str;
    prevEnd = run.end;
  }
  cells.push({ x: cellX, text: clean(cell) });
  return { text: clean(raw), x: first.x, y: first.y, height, mono: visible.every((r) => r.mono), cells };
}

function clean(text: string): string {
  return pageLines(text)[0] ?? "";
}

/** The page's lines, top to bottom as pdf.js delivers them (content order), without empty ones. */
export function layoutLines(content: PdfTextContent): PdfLine[] {
  const out: PdfLine[] = [];
  for (const runs of groupRuns(content)) {
    const line = toLine(runs);
    if (line && line.text.length > 0) out.push(line);
  }
  return out;
}
