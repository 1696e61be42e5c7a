import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { chunkId, contentHash } from "../../../ingest/chunking/chunk-id.js";

describe("contentHash", () => {
  it("is the sha256 hex of the normalised text", () => {
    expect(contentHash("  Press   the\n\tbutton. ")).toBe(createHash("sha256").update("Press the button.").digest("hex"));
  });

  it("ignores whitespace differences and Unicode composition", () => {
    expect(contentHash("Café au lait")).toBe(contentHash("Cafe\u0301  au\nlait"));
    expect(contentHash("电源。\u3000按钮")).toBe(contentHash("电源。 按钮"));
  });

  it("differs for different text", () => {
    expect(contentHash("Press the button.")).not.toBe(contentHash("Press the buttons."));
    expect(contentHash("a b")).not.toBe(contentHash("ab"));
  });
});

describe("chunkId", () => {
  it("joins the collection, the document id and the first 12 hex digits of the hash", () => {
    const hash = contentHash("Some text.");
    expect(chunkId("default", "manuals/tv.pdf", hash)).toBe(`default/manuals/tv.pdf#${hash.slice(0, 12)}`);
    expect(chunkId("c", "doc", hash)).toMatch(/^c\/doc#[0-9a-f]{12}$/);
  });

  it("differs between collections for the same document id and text (ids stay unique across collections)", () => {
    const hash = contentHash("Some text.");
    expect(chunkId("manuals", "a.md", hash)).not.toBe(chunkId("secret", "a.md", hash));
  });
});
