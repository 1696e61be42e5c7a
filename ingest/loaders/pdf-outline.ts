import { normalizeInline } from "./normalize.js";
import type { PdfTextContent } from "./pdf-layout.js";

/** The part of pdf.js's PDFDocumentProxy the PDF loader uses. */
export interface PdfDocumentProxy {
  numPages: number;
  getOutline(): Promise<PdfOutlineNode[] | null>;
  getDestination(id: string): Promise<unknown[] | null>;
  getPageIndex(ref: unknown): Promise<number>;
  getPageLabels(): Promise<string[] | null>;
  getPage(pageNumber: number): Promise<{ getTextContent(): Promise<PdfTextContent>; cleanup(): unknown }>;
}

export interface PdfOutlineNode {
  title: string;
  dest: string | unknown[] | null;
  items: PdfOutlineNode[];
}

/** One bookmark: its title, depth (1 = top level) and the 1-based page its destination points at. */
export interface OutlineEntry {
  title: string;
  level: number;
  page: number;
}

/** Most bookmarks read: a hostile outline may be huge or cyclic (pdf.js guards cycles; this bounds the walk). */
const MAX_ENTRIES = 20_000;
/** Deepest bookmark level followed. */
const MAX_DEPTH = 12;

/**
 * The outline (bookmarks) flattened in reading order, each entry with the page its destination resolves to.
 * Entries without a resolvable page (URL bookmarks, broken destinations) are skipped; an unreadable outline is none.
 */
export async function readOutline(doc: PdfDocumentProxy): Promise<OutlineEntry[]> {
  let roots: PdfOutlineNode[] | null;
  try {
    roots = await doc.getOutline();
  } catch {
    return [];
  }
  const out: OutlineEntry[] = [];
  const stack: Array<{ node: PdfOutlineNode; level: number }> = [...(roots ?? [])].reverse().map((node) => ({ node, level: 1 }));
  for (let item = stack.pop(); item && out.length < MAX_ENTRIES; item = stack.pop()) {
    const page = await destinationPage(doc, item.node.dest);
    const title = normalizeInline(item.node.title ?? "");
    if (page !== undefined && title.length > 0) out.push({ title, level: item.level, page });
    if (item.level < MAX_DEPTH) {
      for (const child of [...(item.node.items ?? [])].reverse()) stack.push({ node: child, level: item.level + 1 });
    }
  }
  return out;
}

async function destinationPage(doc: PdfDocumentProxy, dest: PdfOutlineNode["dest"]): Promise<number | undefined> {
  try {
    const explicit = typeof dest === "string" ? await doc.getDestination(dest) : dest;
    const ref = explicit?.[0];
    if (ref === undefined || ref === null) return undefined;
    // A destination names its page by reference, or (rarely, remote-style) by 0-based index.
    const index = typeof ref === "number" ? ref : await doc.getPageIndex(ref);
    return Number.isInteger(index) && index >= 0 && index < doc.numPages ? index + 1 : undefined;
  } catch {
    return undefined;
  }
}

/** Printed page labels by 0-based page index ("i", "ii", "1", ...), or undefined when the PDF defines none. */
export async function readPageLabels(doc: PdfDocumentProxy): Promise<string[] | undefined> {
  try {
    const labels = await doc.getPageLabels();
    if (!labels || labels.length === 0) return undefined;
    return labels.map((l) => normalizeInline(String(l ?? "")));
  } catch {
    return undefined;
  }
}
