import { describe, expect, it } from "vitest";
import { loadText } from "../../../ingest/loaders/text.js";

const input = { fileName: "notes/faq.txt", id: "notes/faq.txt", sourcePath: "/srv/docs/notes/faq.txt" };

describe("loadText", () => {
  it("keeps one section, normalises newlines/spaces/NFC and takes a short first line as title", () => {
    const doc = loadText("\uFEFF\r\n  FAQ for Cafe\u0301  \r\n\r\n\r\n\r\nQ: Why?   \rA: Because.\f\n", input);
    expect(doc).toEqual({
      id: "notes/faq.txt",
      title: "FAQ for Café",
      sourceType: "manual",
      format: "text/plain",
      sourcePath: "/srv/docs/notes/faq.txt",
      sections: [{ path: [], text: "  FAQ for Café\n\nQ: Why?\nA: Because." }],
    });
  });

  it("uses the file name when the first line is long", () => {
    expect(loadText(`${"word ".repeat(30)}\nmore`, input).title).toBe("faq.txt");
  });

  it("rejects text that normalises to nothing", () => {
    expect(() => loadText("\u0000\u0001\n\t \n", input)).toThrow("/srv/docs/notes/faq.txt: no text content");
  });
});
