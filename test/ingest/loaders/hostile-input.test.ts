import { describe, expect, it } from "vitest";
import { detectFormat } from "../../../ingest/loaders/detect-type.js";
import { loadFile } from "../../../ingest/loaders/load-file.js";
import { isPermanentFailure } from "../../../src/jobs/job-contract.js";
import { UnsupportedDocumentError } from "../../../src/errors.js";
import { deepHtml, deepTicketsJson, flateBombPdf, manyPagesPdf, oneLineText } from "../../support/hostile-files.js";
import { makePdf } from "./pdf-fixtures.js";

async function rejection(promise: Promise<unknown>): Promise<UnsupportedDocumentError> {
  const err: unknown = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(UnsupportedDocumentError);
  expect(isPermanentFailure(err)).toBe(true);
  return err as UnsupportedDocumentError;
}

describe("type detection by the start of the file", () => {
  it("a Markdown file that mentions %PDF- in its first KiB is Markdown", async () => {
    const md = Buffer.from("# PDF notes\n\nEvery PDF starts with `%PDF-1.7`; ours did not, so the fan manual failed.\n");
    expect(detectFormat(md, "notes.md")).toBe("markdown");
    const [doc] = await loadFile({ bytes: md, fileName: "notes.md" });
    expect(doc!.format).toBe("text/markdown");
  });

  it("a file that starts with %PDF- is a PDF whatever its name; junk before the header only for .pdf names", () => {
    expect(detectFormat(Buffer.from("%PDF-1.7\n%âãÏÓ\n"), "manual.md")).toBe("pdf");
    expect(detectFormat(Buffer.from("junk\n%PDF-1.4\n"), "manual.pdf")).toBe("pdf");
    expect(detectFormat(Buffer.from("junk\n%PDF-1.4\n"), "manual.txt")).toBe("text");
  });
});

describe("running header and footer removal", () => {
  it("keeps real lines that differ only in digits when they are all the text", async () => {
    const pages = [101, 102, 103, 104].map((n) => [`Error E-${n}: the fan is blocked`]);
    const [doc] = await loadFile({ bytes: await makePdf({ pages }), fileName: "errors.pdf" });
    for (const n of [101, 102, 103, 104]) expect(doc!.sections[0]!.text).toContain(`E-${n}: the fan is blocked`);
  });

  it("needs a line on at least 3 pages to call it furniture", async () => {
    const pages = [["Error E-101: the fan is blocked", "Unplug the hub first."], ["Error E-102: the fan is blocked", "Clean the vent."]];
    const [doc] = await loadFile({ bytes: await makePdf({ pages }), fileName: "two.pdf" });
    expect(doc!.sections[0]!.text).toContain("E-101: the fan is blocked");
    expect(doc!.sections[0]!.text).toContain("E-102: the fan is blocked");
  });

  it("still removes a real running header repeated on most pages", async () => {
    const pages = ["Unpack the hub.", "Explain the pairing steps.", "Reset the fan.", "Clean the vent."].map((line) => [line]);
    const bytes = await makePdf({ pages, header: (n, total) => `Acme Hub Manual — page ${n} of ${total}` });
    const [doc] = await loadFile({ bytes, fileName: "manual.pdf" });
    expect(doc!.sections[0]!.text).not.toContain("Acme Hub Manual");
    expect(doc!.sections[0]!.text).toContain("pairing steps");
  });
});

describe("structural limits fail fast as bad input", () => {
  it("JSON and JSONL nested deeper than PARSE_MAX_NESTING are rejected; strings with brackets and pretty-printed JSON are not", async () => {
    const deep = await rejection(loadFile({ bytes: deepTicketsJson(100_000), fileName: "deep.json" }));
    expect(deep.message).toMatch(/^deep\.json: JSON nesting depth over the limit of 512 \(PARSE_MAX_NESTING\)/);
    const line = `{"id":"a","title":"A","text":"x","extra":${"[".repeat(600)}${"]".repeat(600)}}\n`;
    expect((await rejection(loadFile({ bytes: Buffer.from(line), fileName: "deep.jsonl" }))).message).toMatch(/PARSE_MAX_NESTING/);
    // 400 levels in each of two lines: within the limit per line (JSONL values are separate).
    const two = `{"id":"a","title":"A","text":"x","extra":${"[".repeat(400)}${"]".repeat(400)}}\n`.repeat(2).replace('"a"', '"b"');
    expect(await loadFile({ bytes: Buffer.from(two), fileName: "ok.jsonl" })).toHaveLength(2);
    const quoted = JSON.stringify([{ id: "T-2", subject: "Brackets", messages: [{ role: "customer", text: "[".repeat(5000) }] }], null, 2);
    expect(await loadFile({ bytes: Buffer.from(quoted), fileName: "quoted.json" }, { limits: { maxNesting: 8 } })).toHaveLength(1);
  });

  it("200k-deep nested HTML is rejected naming the file and PARSE_MAX_NESTING", async () => {
    const started = Date.now();
    const err = await rejection(loadFile({ bytes: deepHtml(200_000), fileName: "deep.html" }));
    expect(err.message).toMatch(/^deep\.html: .*PARSE_MAX_NESTING/);
    expect(err.message).not.toContain("deep</div>");
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("HTML within the nesting limit loads", async () => {
    const [doc] = await loadFile({ bytes: deepHtml(100), fileName: "ok.html" });
    expect(doc!.sections[0]!.text).toContain("The fan is blocked.");
  });

  it("a PDF with more pages than PARSE_MAX_PAGES is rejected naming the limit", async () => {
    const err = await rejection(loadFile({ bytes: await manyPagesPdf(6), fileName: "long.pdf" }, { limits: { maxPages: 5 } }));
    expect(err.message).toMatch(/^long\.pdf: .*6 pages.*limit of 5.*PARSE_MAX_PAGES/);
  });

  it("a flate bomb is rejected before it is inflated, naming PARSE_MAX_INFLATED_BYTES", async () => {
    const bomb = await flateBombPdf(64 * 1024 * 1024);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const err = await rejection(loadFile({ bytes: bomb, fileName: "bomb.pdf" }, { limits: { maxInflatedBytes: 8 * 1024 * 1024 } }));
    expect(err.message).toMatch(/^bomb\.pdf: .*PARSE_MAX_INFLATED_BYTES/);
  });

  it("text longer than PARSE_MAX_TEXT_CHARS is rejected naming the limit", async () => {
    const err = await rejection(loadFile({ bytes: oneLineText(200_000), fileName: "long.txt" }, { limits: { maxTextChars: 100_000 } }));
    expect(err.message).toMatch(/^long\.txt: .*limit of 100000.*PARSE_MAX_TEXT_CHARS/);
    expect(err.message).not.toContain("fan controller");
  });
});
