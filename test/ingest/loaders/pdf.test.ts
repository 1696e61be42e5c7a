import { describe, expect, it } from "vitest";
import { loadPdf } from "../../../ingest/loaders/pdf.js";
import { UnsupportedDocumentError } from "../../../src/errors.js";
import { encryptedPdf, makePdf, textlessPdf } from "./pdf-fixtures.js";

const input = { fileName: "router.pdf", sourcePath: "manuals/router.pdf", id: "manuals/router.pdf" };

const PAGES = [
  [
    "1 Getting started",
    "This guide explains the installa-",
    "tion of the router in your home and how you",
    "connect it to the internet in a few minutes.",
    "1. Unpack the router.",
    "2. Connect the power cable.",
  ],
  [
    "2 Wireless settings",
    "Open the web interface to change the name of",
    "the network and the password of your network.",
  ],
  ["3 Troubleshooting", "If the status light blinks red for more than a", "minute, restart the router and wait."],
  ["4 Warranty", "The router is covered by a two year warranty", "from the date of purchase."],
];

async function guide(title?: string): Promise<Buffer> {
  return makePdf({
    pages: PAGES,
    ...(title === undefined ? {} : { title }),
    header: () => "Acme Router X2 User Guide",
    footer: (n, total) => `Page ${n} of ${total}`,
  });
}

async function rejection(bytes: Buffer): Promise<UnsupportedDocumentError> {
  const err: unknown = await loadPdf(bytes, input).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UnsupportedDocumentError);
  return err as UnsupportedDocumentError;
}

describe("loadPdf", () => {
  it("extracts clean paragraphs with page offsets and metadata", async () => {
    const doc = await loadPdf(await guide("Acme Router X2 Manual"), input);
    expect(doc).toMatchObject({
      id: "manuals/router.pdf",
      title: "Acme Router X2 Manual",
      sourceType: "manual",
      format: "application/pdf",
      pages: 4,
      sourcePath: "manuals/router.pdf",
    });
    expect(doc.sections).toHaveLength(1);
    const section = doc.sections[0];
    if (!section) throw new Error("no section");
    const { text } = section;
    expect(text).not.toContain("Acme Router X2 User Guide");
    expect(text).not.toMatch(/Page \d of 4/);
    expect(text).toContain("the installation of the router in your home");
    expect(text).toContain("connect it to the internet in a few minutes.\n\n1. Unpack the router.\n2. Connect the power cable.");
    expect(text).toContain("Open the web interface to change the name of the network and the password of your network.");
    expect(section.pageStarts?.map((p) => p.page)).toEqual([1, 2, 3, 4]);
    const starts = section.pageStarts ?? [];
    expect(starts[0]?.offset).toBe(0);
    const pageHeads = ["1 Getting started", "2 Wireless settings", "3 Troubleshooting", "4 Warranty"];
    starts.forEach((s, i) => expect(text.slice(s.offset).startsWith(pageHeads[i] ?? "?")).toBe(true));
  });

  it("falls back to the first line for the title and honours an override", async () => {
    const bytes = await guide();
    expect((await loadPdf(bytes, input)).title).toBe("1 Getting started");
    expect((await loadPdf(bytes, { ...input, title: "Given" })).title).toBe("Given");
  });

  it("rejects encrypted PDFs", async () => {
    const err = await rejection(encryptedPdf());
    expect(err.message).toBe("manuals/router.pdf: encrypted PDF");
  });

  it("rejects corrupt PDFs: random bytes behind the magic, and truncated files", async () => {
    const random = Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.from(Array.from({ length: 2000 }, (_, i) => (i * 7919) % 256))]);
    expect((await rejection(random)).message).toMatch(/^manuals\/router\.pdf: corrupt PDF: /);
    const truncated = (await guide()).subarray(0, 400);
    expect((await rejection(truncated)).message).toMatch(/corrupt PDF: /);
  });

  it("rejects PDFs without extractable text", async () => {
    expect((await rejection(textlessPdf())).message).toBe("manuals/router.pdf: PDF has no extractable text (scanned images?)");
    const onlyNumbers = await makePdf({ pages: [[], []], footer: (n) => String(n) });
    expect((await rejection(onlyNumbers)).message).toMatch(/no extractable text/);
  });
});
