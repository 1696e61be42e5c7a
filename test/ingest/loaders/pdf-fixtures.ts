import { PDFDocument, StandardFonts } from "pdf-lib";

export interface PdfSpec {
  /** Body lines of each page, top to bottom. */
  pages: string[][];
  title?: string;
  /** Running header drawn at the top of every page. */
  header?: (page: number, total: number) => string;
  /** Running footer drawn at the bottom of every page. */
  footer?: (page: number, total: number) => string;
}

/** A real PDF with one text line per drawn string, so pdf.js extracts exactly these lines. */
export async function makePdf(spec: PdfSpec): Promise<Buffer> {
  const doc = await PDFDocument.create();
  if (spec.title !== undefined) doc.setTitle(spec.title);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const total = spec.pages.length;
  spec.pages.forEach((lines, i) => {
    const page = doc.addPage([612, 792]);
    const n = i + 1;
    if (spec.header) page.drawText(spec.header(n, total), { x: 72, y: 750, size: 9, font });
    lines.forEach((line, j) => page.drawText(line, { x: 72, y: 700 - j * 16, size: 11, font }));
    if (spec.footer) page.drawText(spec.footer(n, total), { x: 260, y: 40, size: 9, font });
  });
  return Buffer.from(await doc.save());
}

/** A minimal hand-written PDF with a classic xref table; `trailerExtra` is appended to the trailer dictionary. */
export function rawPdf(objects: string[], trailerExtra = ""): Buffer {
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, "latin1"));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, "latin1");
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  out += offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("");
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${trailerExtra} >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, "latin1");
}

const PAGE_TREE = [
  "<< /Type /Catalog /Pages 2 0 R >>",
  "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
  "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
];

/**
 * A PDF encrypted with the standard security handler whose user password is not empty: O/U values that no
 * password produces, so any reader must ask for a password.
 */
export function encryptedPdf(): Buffer {
  const key = "A".repeat(64);
  const id = "0123456789ABCDEF0123456789ABCDEF";
  return rawPdf(
    [...PAGE_TREE, `<< /Filter /Standard /V 1 /R 2 /O <${key}> /U <${key}> /P -4 >>`],
    `/Encrypt 4 0 R /ID [<${id}> <${id}>]`,
  );
}

/** A valid one-page PDF without any text (what a scan without OCR looks like to a text extractor). */
export function textlessPdf(): Buffer {
  return rawPdf(PAGE_TREE);
}

/** The first bytes of an ELF executable header. */
export function elfBytes(): Buffer {
  return Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x00, 0x3e, 0x00]);
}
