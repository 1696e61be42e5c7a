// Footnotes in PDFs: the raised reference number is not part of the sentence, and the note set small at the foot of
// the page does not cut a sentence that goes on to the next page; it follows that paragraph as "Footnote N: ...".
import { describe, expect, it } from "vitest";
import { PDFDocument, StandardFonts } from "pdf-lib";
import { loadPdf } from "../../../ingest/loaders/pdf.js";
import type { PdfLine } from "../../../ingest/loaders/pdf-layout.js";
import { splitFootnotes, typePages } from "../../../ingest/loaders/pdf-pages.js";

const input = { fileName: "guide.pdf", sourcePath: "guide.pdf", id: "guide.pdf" };

interface Run {
  text: string;
  size?: number;
  /** Raised above the line's baseline by this many points. */
  rise?: number;
}

/** A PDF whose lines are runs of text (10 pt body unless a run says otherwise), drawn left to right. */
async function pdf(pages: Run[][][]): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const lines of pages) {
    const page = doc.addPage([612, 792]);
    lines.forEach((runs, j) => {
      let x = 72;
      const y = 700 - j * 14;
      for (const run of runs) {
        const size = run.size ?? 10;
        page.drawText(run.text, { x, y: y + (run.rise ?? 0), size, font });
        x += font.widthOfTextAtSize(run.text, size) + font.widthOfTextAtSize(" ", 10);
      }
    });
  }
  return Buffer.from(await doc.save());
}

const body = (text: string): Run[] => [{ text }];
const note = (text: string): Run[] => [{ text, size: 8 }];
const filler = Array.from({ length: 8 }, (_, i) => body(`Line ${i + 1} of the packaging chapter says something about the build tools here.`));

describe("PDF footnotes", () => {
  it("drops the raised reference number and moves the note after the paragraph it interrupted", async () => {
    const bytes = await pdf([
      [
        ...filler,
        [{ text: "Upload the package with dupload or dput once you are a developer," }, { text: "1", size: 6, rise: 4 }, { text: "and check" }],
        body("the result in the archive queue before you announce the new"),
        note("1Until then, ask your sponsor to upload the package for you."),
      ],
      [body("version on the mailing list as usual."), body("Next paragraph starts here after a break."), ...filler],
    ]);
    const doc = await loadPdf(bytes, input);
    const text = doc.sections.map((s) => s.text).join("\n\n");
    expect(text).toContain("once you are a developer, and check the result in the archive queue before you announce the new version on the mailing list as usual.");
    expect(text).not.toMatch(/developer, ?1/);
    expect(text).toMatch(/as usual\.\n\nFootnote 1: Until then, ask your sponsor to upload the package for you\./);
  });

  it("drops an inline reference set at body size only when the page has that footnote, never another number", async () => {
    const bytes = await pdf([
      [
        body("Section 9.1 Uploading covers 2 tools."),
        ...filler,
        body("Once you become an official developer, 1 you can upload the package yourself."),
        note("1See the developers' reference for how to apply."),
      ],
    ]);
    const doc = await loadPdf(bytes, input);
    const text = doc.sections.map((s) => s.text).join("\n\n");
    expect(text).toContain("Section 9.1 Uploading covers 2 tools.");
    expect(text).toContain("Once you become an official developer, you can upload the package yourself.");
    expect(text).toContain("Footnote 1: See the developers' reference for how to apply.");
  });

  it("reads a footnote number whose later digits a font gives as superscript characters (1⁴ is 14)", () => {
    const line = (text: string, height: number): PdfLine => ({ text, x: 72, y: 0, height, mono: false, cells: [{ x: 72, text }] });
    const { lines, notes } = splitFootnotes(
      [line("Set the two variables so that the tools know your name.", 10), line("1⁴The default field length is 30", 9), line("characters.", 8)],
      10,
    );
    expect(lines.map((l) => l.text)).toEqual(["Set the two variables so that the tools know your name."]);
    expect(notes).toEqual(["Footnote 14: The default field length is 30 characters."]);
    const [page] = typePages([[line("Body text of the page, long enough to be body.", 10), line("Set the variables for your name. 1⁴", 10), line("1⁴The default field length is 30.", 8)]], [], undefined);
    expect(page?.lines).toEqual([
      { kind: "text", text: "Body text of the page, long enough to be body." },
      { kind: "text", text: "Set the variables for your name." },
      { kind: "note", text: "Footnote 14: The default field length is 30." },
    ]);
  });

  it("keeps small-print text that is not a footnote (no number at its start) where it is", async () => {
    const bytes = await pdf([[...filler, body("The last body line ends the paragraph."), note("Printed in small type at the foot, without a number.")]]);
    const doc = await loadPdf(bytes, input);
    const text = doc.sections.map((s) => s.text).join("\n\n");
    expect(text).toContain("Printed in small type at the foot, without a number.");
    expect(text).not.toContain("Footnote");
  });
});
