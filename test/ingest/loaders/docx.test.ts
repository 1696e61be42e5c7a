import { describe, expect, it } from "vitest";
import { loadFile } from "../../../ingest/loaders/load-file.js";
import { detectFormat } from "../../../ingest/loaders/detect-type.js";
import { chunkDocument } from "../../../ingest/chunking/chunk-document.js";
import { UnsupportedDocumentError } from "../../../src/errors.js";
import { makeDocx, zipOf } from "./docx-fixture.js";

const HUB = makeDocx([
  { style: "Heading1", text: "Hub guide" },
  { text: "This guide covers the smart hub H5." },
  { style: "Heading2", text: "Pairing a sensor" },
  { text: "Hold the pair button until the light blinks blue." },
  { style: "Heading2", text: "Resetting" },
  { text: "To reset the hub, run the following:" },
  { style: "Code", text: "hubctl reset --factory" },
  { style: "Code", text: "hubctl reboot" },
]);

async function rejection(bytes: Buffer, name: string, limits = {}): Promise<UnsupportedDocumentError> {
  const err: unknown = await loadFile({ bytes, fileName: name }, { limits }).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(UnsupportedDocumentError);
  return err as UnsupportedDocumentError;
}

describe("DOCX", () => {
  it("is recognised by its content (a zip holding word/document.xml), whatever its name", () => {
    expect(detectFormat(HUB, "hub.docx")).toBe("docx");
    expect(detectFormat(HUB, "upload.bin")).toBe("docx");
    expect(() => detectFormat(zipOf([{ name: "notes.txt", data: Buffer.from("hello") }]), "notes.zip")).toThrow(/zip archive/);
  });

  it("turns Word headings into section paths and keeps code paragraphs with their lead-in", async () => {
    const [doc] = await loadFile({ bytes: HUB, fileName: "hub.docx" });
    expect(doc).toMatchObject({ id: "hub.docx", title: "Hub guide", format: "application/vnd.openxmlformats-officedocument.wordprocessingml.document" });
    expect(doc!.sections.map((s) => s.path)).toEqual([["Hub guide"], ["Hub guide", "Pairing a sensor"], ["Hub guide", "Resetting"]]);
    const chunks = chunkDocument(doc!, { collection: "default" });
    const code = chunks.find((c) => c.text.includes("hubctl reset"));
    expect(code?.text).toBe("To reset the hub, run the following:\nhubctl reset --factory\nhubctl reboot");
    expect(code?.blockKind).toBe("code");
  });

  it("reads LibreOffice's Preformatted Text as code, and drops a permalink sign a converted web page left on headings", async () => {
    const converted = makeDocx([
      { style: "Heading1", text: "Hub guide ¶" },
      { style: "Heading2", text: "Logs ¶" },
      { text: "To follow the log, run:" },
      { style: "PreformattedText", text: "hubctl log --follow" },
      { style: "PreformattedText", text: "  --since 1h" },
    ]);
    const [doc] = await loadFile({ bytes: converted, fileName: "converted.docx" });
    expect(doc!.sections.map((s) => s.path)).toEqual([["Hub guide", "Logs"]]);
    const chunks = chunkDocument(doc!, { collection: "default" });
    expect(chunks[0]?.text).toBe("To follow the log, run:\nhubctl log --follow\n  --since 1h");
    expect(chunks[0]?.blockKind).toBe("code");
  });

  it("rejects a zip bomb before unpacking it, naming the limit", async () => {
    const bomb = makeDocx([{ text: "Tiny." }], [{ name: "word/media/padding.bin", data: Buffer.alloc(64 * 1024 * 1024) }]);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const err = await rejection(bomb, "bomb.docx", { maxInflatedBytes: 16 * 1024 * 1024 });
    expect(err.message).toMatch(/^bomb\.docx: zip entries inflate to over the limit of 16777216 \(PARSE_MAX_INFLATED_BYTES\)$/);
  });

  it("rejects a corrupt archive and a zip that is not a Word document", async () => {
    expect((await rejection(Buffer.concat([HUB.subarray(0, 200), Buffer.alloc(50)]), "cut.docx")).message).toMatch(/corrupt DOCX/);
    const other = zipOf([{ name: "[Content_Types].xml", data: Buffer.from("<Types/>") }, { name: "xl/workbook.xml", data: Buffer.from("<x/>") }]);
    expect((await rejection(other, "sheet.docx")).message).toMatch(/not a DOCX/);
  });
});
