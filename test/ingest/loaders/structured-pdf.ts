import { PDFArray, PDFDocument, PDFHexString, PDFName, PDFNull, PDFNumber, type PDFRef, StandardFonts } from "pdf-lib";

/** One drawn line: text at `x` (default 72), in `size` points (default 11), in Courier when `mono`. */
export interface DrawnLine {
  text: string;
  x?: number;
  size?: number;
  mono?: boolean;
  /** Further cells of a table row: [x, text] drawn on the same baseline. */
  cells?: Array<[number, string]>;
}

export interface Bookmark {
  title: string;
  /** 1-based page the bookmark points at. */
  page: number;
  children?: Bookmark[];
}

export interface StructuredPdfSpec {
  pages: DrawnLine[][];
  outline?: Bookmark[];
  /** /PageLabels number tree: [first page index (0-based), style ("r" roman, "D" decimal), start]. */
  labels?: Array<[number, "r" | "D", number?]>;
}

/** A generated PDF with an outline, page labels, monospace lines and table rows, as manuals have them. */
export async function makeStructuredPdf(spec: StructuredPdfSpec): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const mono = await doc.embedFont(StandardFonts.Courier);
  const pageRefs: PDFRef[] = [];
  for (const lines of spec.pages) {
    const page = doc.addPage([612, 792]);
    pageRefs.push(page.ref);
    let y = 720;
    for (const line of lines) {
      const size = line.size ?? 11;
      page.drawText(line.text, { x: line.x ?? 72, y, size, font: line.mono ? mono : font });
      for (const [x, text] of line.cells ?? []) page.drawText(text, { x, y, size, font });
      y -= size * 1.5;
    }
  }
  if (spec.outline) addOutline(doc, spec.outline, pageRefs);
  if (spec.labels) {
    const nums: unknown[] = [];
    for (const [index, style, start] of spec.labels) {
      nums.push(index, doc.context.obj({ S: style, ...(start !== undefined ? { St: start } : {}) }));
    }
    doc.catalog.set(PDFName.of("PageLabels"), doc.context.obj({ Nums: doc.context.obj(nums as never) }));
  }
  return Buffer.from(await doc.save());
}

function addOutline(doc: PDFDocument, bookmarks: Bookmark[], pages: PDFRef[]): void {
  const root = doc.context.nextRef();
  const first = addItems(doc, bookmarks, root, pages);
  doc.context.assign(root, doc.context.obj({ Type: "Outlines", First: first.first, Last: first.last, Count: bookmarks.length }));
  doc.catalog.set(PDFName.of("Outlines"), root);
}

function addItems(doc: PDFDocument, items: Bookmark[], parent: PDFRef, pages: PDFRef[]): { first: PDFRef; last: PDFRef } {
  const refs = items.map(() => doc.context.nextRef());
  items.forEach((item, i) => {
    const dest = PDFArray.withContext(doc.context);
    dest.push(pages[item.page - 1]!);
    dest.push(PDFName.of("XYZ"));
    dest.push(PDFNull);
    dest.push(PDFNull);
    dest.push(PDFNumber.of(0));
    const dict = doc.context.obj({ Title: PDFHexString.fromText(item.title), Parent: parent, Dest: dest });
    if (i > 0) dict.set(PDFName.of("Prev"), refs[i - 1]!);
    if (i < items.length - 1) dict.set(PDFName.of("Next"), refs[i + 1]!);
    if (item.children && item.children.length > 0) {
      const kids = addItems(doc, item.children, refs[i]!, pages);
      dict.set(PDFName.of("First"), kids.first);
      dict.set(PDFName.of("Last"), kids.last);
      dict.set(PDFName.of("Count"), PDFNumber.of(item.children.length));
    }
    doc.context.assign(refs[i]!, dict);
  });
  return { first: refs[0]!, last: refs[refs.length - 1]! };
}
