import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { documentIdFromPath, loadFile } from "../../../ingest/loaders/load-file.js";
import { InvalidInputError, UnsupportedDocumentError } from "../../../src/errors.js";
import { elfBytes, makePdf } from "./pdf-fixtures.js";

async function rejection(promise: Promise<unknown>): Promise<UnsupportedDocumentError> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UnsupportedDocumentError);
  return err as UnsupportedDocumentError;
}

describe("documentIdFromPath", () => {
  it("normalises to a relative, forward-slash path", () => {
    expect(documentIdFromPath("guides/setup.md")).toBe("guides/setup.md");
    expect(documentIdFromPath("./guides\\setup.md")).toBe("guides/setup.md");
    expect(documentIdFromPath("/guides//a/../setup.md")).toBe("guides/setup.md");
    expect(documentIdFromPath("C:\\docs\\faq.txt")).toBe("docs/faq.txt");
    expect(documentIdFromPath("../../x.md")).toBe("x.md");
    expect(documentIdFromPath("Cafe\u0301.md")).toBe("Café.md");
    expect(() => documentIdFromPath("./")).toThrow(InvalidInputError);
  });
});

describe("loadFile", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "loaders-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("loads a file from disk with a derived id and source path", async () => {
    const file = path.join(dir, "setup.md");
    fs.writeFileSync(file, "# Setup\n\nPlug it in.\n");
    const docs = await loadFile({ bytes: fs.readFileSync(file), fileName: "guides/setup.md", sourcePath: file });
    expect(docs).toEqual([
      {
        id: "guides/setup.md",
        title: "Setup",
        sourceType: "manual",
        format: "text/markdown",
        sections: [{ path: ["Setup"], text: "Plug it in." }],
        sourcePath: file,
      },
    ]);
  });

  it("prefers a given id and title, and a relative source path over the file name", async () => {
    const bytes = Buffer.from("Hello world");
    expect((await loadFile({ bytes, fileName: "a.txt", id: "custom", title: "T" }))[0]).toMatchObject({ id: "custom", title: "T" });
    expect((await loadFile({ bytes, fileName: "a.txt", sourcePath: "kb/a.txt" }))[0]?.id).toBe("kb/a.txt");
  });

  it("dispatches every format", async () => {
    const load = async (name: string, text: string): Promise<string[]> =>
      (await loadFile({ bytes: Buffer.from(text), fileName: name })).map((d) => `${d.id}:${d.format}`);
    expect(await load("p.html", "<p>Hi</p>")).toEqual(["p.html:text/html"]);
    expect(await load("t.json", '[{"id":"1","question":"q"}]')).toEqual(["1:application/x-ticket"]);
    expect(await load("t.csv", "id,question\n7,q\n")).toEqual(["7:application/x-ticket"]);
    expect(await load("c.jsonl", '{"id":"k","title":"K","text":"x"}\n')).toEqual(["k:application/jsonl"]);
    expect(await load("bom.json", '\uFEFF[{"id":"2","answer":"a"}]')).toEqual(["2:application/x-ticket"]);
  });

  it("treats a PDF named .md as a PDF", async () => {
    const bytes = await makePdf({ pages: [["Quick start", "Press the power button."]] });
    const [doc] = await loadFile({ bytes, fileName: "quick.md" });
    expect(doc).toMatchObject({ id: "quick.md", format: "application/pdf", pages: 1 });
    expect(doc?.sections[0]?.text).toBe("Quick start\n\nPress the power button.");
  });

  it("rejects an ELF binary named .pdf, empty files and files over the limit, naming the file", async () => {
    expect((await rejection(loadFile({ bytes: elfBytes(), fileName: "x.pdf", sourcePath: "/in/x.pdf" }))).message).toBe(
      "/in/x.pdf: binary file (ELF executable), not a PDF",
    );
    expect((await rejection(loadFile({ bytes: Buffer.alloc(0), fileName: "e.txt" }))).message).toBe("e.txt: empty file");
    const big = await rejection(loadFile({ bytes: Buffer.alloc(2048, 0x61), fileName: "big.txt" }, { maxBytes: 1024 }));
    expect(big.message).toBe("big.txt: file is 2048 bytes, over the limit of 1024");
    expect(big.status).toBe(413);
  });
});
