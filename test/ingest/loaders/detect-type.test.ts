import { describe, expect, it } from "vitest";
import { describeBinary, detectFormat, MAX_FILE_BYTES_DEFAULT, sniffTextFormat } from "../../../ingest/loaders/detect-type.js";
import { UnsupportedDocumentError } from "../../../src/errors.js";
import { elfBytes } from "./pdf-fixtures.js";

const b = (s: string): Buffer => Buffer.from(s, "utf8");

function rejection(bytes: Buffer, name: string): UnsupportedDocumentError {
  try {
    detectFormat(bytes, name);
  } catch (err) {
    expect(err).toBeInstanceOf(UnsupportedDocumentError);
    return err as UnsupportedDocumentError;
  }
  throw new Error("expected a rejection");
}

describe("detectFormat", () => {
  it("uses PDF magic whatever the name", () => {
    expect(detectFormat(b("%PDF-1.7\n..."), "manual.pdf")).toBe("pdf");
    expect(detectFormat(b("%PDF-1.4\n..."), "renamed.md")).toBe("pdf");
    expect(detectFormat(b("%PDF-1.4\n..."), "noext")).toBe("pdf");
  });

  it("rejects .pdf files without the magic and binaries of any name", () => {
    expect(rejection(b("# actually markdown"), "x.pdf").message).toBe("x.pdf: not a PDF (content does not start with %PDF-)");
    expect(rejection(elfBytes(), "x.pdf").message).toBe("x.pdf: binary file (ELF executable), not a PDF");
    expect(rejection(elfBytes(), "notes.txt").message).toBe("notes.txt: binary file (ELF executable)");
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    expect(rejection(png, "a.md").message).toMatch(/binary file \(PNG image\)/);
    const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0]);
    expect(rejection(zip, "doc.docx").message).toMatch(/zip archive/);
    expect(rejection(Buffer.from([0x1f, 0x8b, 0x08, 0]), "a.txt").message).toMatch(/gzip/);
    expect(rejection(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), "a").message).toMatch(/JPEG/);
    expect(rejection(Buffer.from("hello\u0000world"), "a.txt").message).toBe("a.txt: binary file (contains NUL bytes)");
    expect(rejection(Buffer.from([0x68, 0x69, 0xc3, 0x28]), "a.txt").message).toBe("a.txt: binary file (not valid UTF-8 text)");
    expect(rejection(Buffer.from([0xff, 0xfe, 0x68, 0x00]), "a.txt").message).toMatch(/UTF-16/);
  });

  it("rejects empty and whitespace-only files, naming the file", () => {
    expect(rejection(Buffer.alloc(0), "empty.md").message).toBe("empty.md: empty file");
    expect(rejection(b(" \n\t\r\n"), "blank.pdf").message).toBe("blank.pdf: empty file");
    expect(rejection(b("\uFEFF\n"), "bom.txt").message).toBe("bom.txt: empty file");
  });

  it("does not mistake text that starts like a signature for a binary", () => {
    expect(detectFormat(b("MZ-500 remote control manual"), "mz.txt")).toBe("text");
    expect(describeBinary(b("RIFF is a container format"))).toBeUndefined();
  });

  it("chooses text formats by extension", () => {
    const cases: Array<[string, string]> = [
      ["a.md", "markdown"], ["a.MARKDOWN", "markdown"], ["a.html", "html"], ["a.htm", "html"], ["a.txt", "text"],
      ["a.text", "text"], ["a.json", "tickets-json"], ["a.jsonl", "jsonl"], ["a.ndjson", "jsonl"], ["dir.v2/a.csv", "tickets-csv"],
    ];
    for (const [name, format] of cases) expect(detectFormat(b("plain words"), name)).toBe(format);
  });

  it("sniffs content when the extension is missing or unknown", () => {
    expect(detectFormat(b("  <!DOCTYPE html><html><body>x</body></html>"), "page")).toBe("html");
    expect(detectFormat(b("<html lang=en><p>x</p></html>"), "page.php")).toBe("html");
    expect(detectFormat(b('{"id":1,"text":"a"}\n{"id":2,"text":"b"}\n'), "dump")).toBe("jsonl");
    expect(detectFormat(b('{"tickets": [\n{"id": 1}\n]}'), "dump")).toBe("tickets-json");
    expect(detectFormat(b('[{"id": 1}]'), "dump")).toBe("tickets-json");
    expect(detectFormat(b("Intro\n\n## Setup\nText"), "README")).toBe("markdown");
    expect(detectFormat(b("---\ntitle: x\n---\nbody"), "notes.rst")).toBe("markdown");
    expect(detectFormat(b("Just some notes.\n#hashtag"), "notes")).toBe("text");
    expect(sniffTextFormat("\uFEFF<!-- generated -->\n<!doctype html>")).toBe("html");
  });

  it("exports the default size limit", () => {
    expect(MAX_FILE_BYTES_DEFAULT).toBe(52_428_800);
  });
});

describe("detectFormat for .json", () => {
  it("routes JSON Lines content named .json to the JSONL loader", () => {
    expect(detectFormat(b('{"id":1,"resolution":"a"}\n{"id":2,"resolution":"b"}\n'), "export.json")).toBe("jsonl");
    expect(detectFormat(b('{"tickets":[{"id":1}]}'), "export.json")).toBe("tickets-json");
    expect(detectFormat(b('{\n  "tickets": []\n}'), "export.json")).toBe("tickets-json");
  });
});
