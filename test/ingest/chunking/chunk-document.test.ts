import { describe, expect, it } from "vitest";
import { chunkDocument } from "../../../ingest/chunking/chunk-document.js";
import { contentHash } from "../../../ingest/chunking/chunk-id.js";
import type { LoadedDocument, Section } from "../../../src/domain/document.js";
import { PAGE_BREAK } from "../../../src/domain/chunk.js";
import { InvalidInputError } from "../../../src/errors.js";
import { countTokens } from "../../../src/text/tokens.js";

function doc(sections: Section[], extra: Partial<LoadedDocument> = {}): LoadedDocument {
  return { id: "tv-manual", title: "TV Manual", sourceType: "manual", format: "text/plain", sections, ...extra };
}

/** A paragraph of about `sentences * 8` tokens with a recognisable tag. */
function para(tag: string, sentences: number): string {
  return Array.from({ length: sentences }, (_, i) => `${tag} sentence ${i} explains one more setting.`).join(" ");
}

describe("chunkDocument", () => {
  it("fills every chunk field from the document and section", () => {
    const d = doc([{ path: ["Setup", "Remote"], text: "Insert two AAA batteries. Point the remote at the TV." }], {
      product: "TV-100",
      language: "en",
      url: "https://example.com/tv",
    });
    const [chunk, ...rest] = chunkDocument(d, { collection: "support" });
    expect(rest).toEqual([]);
    expect(chunk).toEqual({
      id: `support/tv-manual#${contentHash("Insert two AAA batteries. Point the remote at the TV.").slice(0, 12)}`,
      documentId: "tv-manual",
      title: "TV Manual",
      sectionPath: ["Setup", "Remote"],
      position: 0,
      text: "Insert two AAA batteries. Point the remote at the TV.",
      contentHash: contentHash("Insert two AAA batteries. Point the remote at the TV."),
      tokenCount: countTokens("Insert two AAA batteries. Point the remote at the TV."),
      collection: "support",
      sourceType: "manual",
      product: "TV-100",
      language: "en",
      url: "https://example.com/tv",
    });
  });

  it("omits optional metadata the document does not have, and skips empty sections", () => {
    const chunks = chunkDocument(doc([{ path: ["Empty"], text: " \n " }, { path: [], text: "Only text." }]), { collection: "c" });
    expect(chunks).toHaveLength(1);
    const [chunk] = chunks;
    expect(chunk?.sectionPath).toEqual([]);
    expect(chunk && "product" in chunk).toBe(false);
    expect(chunk && "pageStart" in chunk).toBe(false);
    expect(chunk && "url" in chunk).toBe(false);
  });

  it("keeps chunk text to the body and positions consecutive across sections", () => {
    const d = doc([
      { path: ["Intro"], text: para("Intro", 12) },
      { path: ["Picture", "Mode"], text: para("Picture", 20) },
      { path: ["Sound"], text: para("Sound", 3) },
    ]);
    const chunks = chunkDocument(d, { collection: "c", maxTokens: 40, overlapTokens: 8 });
    expect(chunks.map((c) => c.position)).toEqual(chunks.map((_, i) => i));
    const sections = chunks.map((c) => c.sectionPath.join("/"));
    expect(sections.indexOf("Picture/Mode")).toBeGreaterThan(sections.lastIndexOf("Intro"));
    expect(sections.indexOf("Sound")).toBeGreaterThan(sections.lastIndexOf("Picture/Mode"));
    for (const c of chunks) {
      expect(c.text).not.toContain("Mode");
      expect(c.tokenCount).toBe(countTokens(c.text));
      expect(c.tokenCount).toBeLessThanOrEqual(44);
    }
  });

  it("uses defaults of 300 tokens with overlap", () => {
    const text = para("Long", 120);
    const chunks = chunkDocument(doc([{ path: [], text }]), { collection: "c" });
    expect(chunks.length).toBeGreaterThan(2);
    for (const c of chunks.slice(0, -1)) expect(c.tokenCount).toBeLessThanOrEqual(300);
    for (const c of chunks.slice(0, -1)) expect(c.tokenCount).toBeGreaterThan(200);
    const [first, second] = chunks;
    const secondStart = second?.text.split(/(?<=\.) /)[0] ?? "";
    const shared = first?.text.slice(first.text.indexOf(secondStart)) ?? "";
    expect(shared.length).toBeGreaterThan(0);
    expect(second?.text.startsWith(shared)).toBe(true);
    expect(countTokens(shared)).toBeGreaterThan(20);
    expect(countTokens(shared)).toBeLessThanOrEqual(45);
  });

  it("computes page ranges from the section's page starts", () => {
    const p1 = para("One", 4);
    const p2 = para("Two", 4);
    const p3 = para("Three", 4);
    const text = `${p1}\n\n${p2}\n\n${p3}`;
    const pageStarts = [
      { offset: 0, page: 5 },
      { offset: text.indexOf(p2), page: 6 },
      { offset: text.indexOf(p3), page: 7 },
    ];
    const perPara = countTokens(p1);
    const single = chunkDocument(doc([{ path: [], text, pageStarts }]), { collection: "c", maxTokens: perPara + 2, overlapTokens: 0 });
    expect(single.map((c) => [c.pageStart, c.pageEnd])).toEqual([[5, 5], [6, 6], [7, 7]]);

    const paired = chunkDocument(doc([{ path: [], text, pageStarts }]), { collection: "c", maxTokens: perPara * 2 + 2, overlapTokens: 0 });
    expect(paired.map((c) => [c.pageStart, c.pageEnd])).toEqual([[5, 6], [7, 7]]);
  });

  it("assigns the page a chunk starts on even when the page break is mid-paragraph", () => {
    const text = "First page text continues. Still going on the next page. End of it.";
    const pageStarts = [{ offset: 0, page: 1 }, { offset: text.indexOf("next page"), page: 2 }];
    const [chunk] = chunkDocument(doc([{ path: [], text, pageStarts }]), { collection: "c" });
    expect([chunk?.pageStart, chunk?.pageEnd]).toEqual([1, 2]);
    const late = [{ offset: 10, page: 3 }];
    const [c2] = chunkDocument(doc([{ path: [], text, pageStarts: late }]), { collection: "c" });
    expect([c2?.pageStart, c2?.pageEnd]).toEqual([3, 3]);
  });

  it("marks where a later page starts inside a chunk with PAGE_BREAK, never inside a word", () => {
    const text = "First page text continues. Still going on the next page. A word hyphen-joined over the break.";
    const mid = text.indexOf("joined") - 3;
    const pageStarts = [{ offset: 0, page: 1 }, { offset: text.indexOf("Still"), page: 2 }, { offset: mid, page: 3 }];
    const [chunk] = chunkDocument(doc([{ path: [], text, pageStarts }]), { collection: "c" });
    expect(chunk?.text).toBe(`First page text continues. ${PAGE_BREAK}Still going on the next page. A word hyphen-joined ${PAGE_BREAK}over the break.`);
    expect([chunk?.pageStart, chunk?.pageEnd]).toEqual([1, 3]);
    const [plain] = chunkDocument(doc([{ path: [], text }]), { collection: "c" });
    expect(plain?.text).toBe(text);
  });

  it("drops chunks repeating earlier text of the same document", () => {
    const warning = "Warning: do not open the cover. There are no user-serviceable parts inside.";
    const d = doc([
      { path: ["Safety"], text: warning },
      { path: ["Setup"], text: "Place the TV on a flat surface." },
      { path: ["Cleaning"], text: `  ${warning.replace(/ /g, "  ")}\n` },
      { path: ["Repair"], text: warning },
      { path: ["End"], text: "Thank you." },
    ]);
    const chunks = chunkDocument(d, { collection: "c" });
    expect(chunks.map((c) => c.sectionPath[0])).toEqual(["Safety", "Setup", "End"]);
    expect(chunks.map((c) => c.position)).toEqual([0, 1, 2]);
    expect(new Set(chunks.map((c) => c.id)).size).toBe(3);
  });

  it("produces stable ids across runs", () => {
    const d = doc([{ path: ["A"], text: para("Stable", 30) }, { path: ["B"], text: "请按下电源按钮。然后等待指示灯变绿。" }], { language: "zh" });
    const a = chunkDocument(d, { collection: "c", maxTokens: 50, overlapTokens: 10 });
    const b = chunkDocument(structuredClone(d), { collection: "c", maxTokens: 50, overlapTokens: 10 });
    expect(a.map((c) => c.id)).toEqual(b.map((c) => c.id));
    expect(a.length).toBeGreaterThan(3);
    for (const c of a) expect(c.id).toBe(`c/tv-manual#${c.contentHash.slice(0, 12)}`);
  });

  it("chunks a Chinese section into sentence-aligned chunks", () => {
    const sentences = ["请先关闭电视机的电源", "然后拔下背面的电源插头", "等待大约一分钟后重新插上", "按下遥控器上的待机按钮", "如果指示灯仍然不亮请联系客服"];
    const text = Array.from({ length: 30 }, (_, i) => `${sentences[i % sentences.length]}。`).join("");
    const chunks = chunkDocument(doc([{ path: ["故障排除"], text }], { language: "zh" }), { collection: "c", maxTokens: 60, overlapTokens: 15 });
    expect(chunks.length).toBeGreaterThan(4);
    for (const c of chunks) {
      expect(c.text.endsWith("。")).toBe(true);
      expect(c.tokenCount).toBeLessThanOrEqual(66);
      expect(c.language).toBe("zh");
    }
  });

  it("rejects invalid token options", () => {
    expect(() => chunkDocument(doc([{ path: [], text: "x" }]), { collection: "c", maxTokens: 10, overlapTokens: 20 })).toThrow(InvalidInputError);
  });
});
