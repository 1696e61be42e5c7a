import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PDFDocument } from "pdf-lib";
import { PDFParse } from "pdf-parse";
import { describe, expect, it } from "vitest";
import { markdownToPdf, parseMarkdown } from "../../scripts/make-demo-pdf.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const corpus = (rel: string): string => path.join(root, "corpora", rel);
const read = (rel: string): string => readFileSync(corpus(rel), "utf8");

interface TicketLine {
  id?: unknown;
  subject?: unknown;
  product?: unknown;
  category?: unknown;
  tags?: unknown;
  created_at?: unknown;
  status?: unknown;
  messages?: unknown;
  resolution?: unknown;
}

function loadTickets(): TicketLine[] {
  return read("tickets/tickets.jsonl")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as TicketLine);
}

const nonEmpty = (v: unknown): boolean => typeof v === "string" && v.trim().length > 0;

describe("demo corpus files", () => {
  it.each([
    "manual/lumio-homehub-3.md",
    "manual/lumio-app-faq.md",
    "manual/release-notes.html",
    "manual/lumio-homehub-3.zh.md",
    "tickets/tickets.jsonl",
  ])("%s exists and is not empty", (rel) => {
    expect(existsSync(corpus(rel))).toBe(true);
    expect(read(rel).trim().length).toBeGreaterThan(500);
  });

  it("the manual is large and structured: one title, 20+ chapters, specific facts", () => {
    const manual = read("manual/lumio-homehub-3.md");
    const words = manual.split(/\s+/).filter((w) => /\w/.test(w)).length;
    expect(words).toBeGreaterThan(6000);
    expect(manual.match(/^# /gm)).toHaveLength(1);
    expect((manual.match(/^## /gm) ?? []).length).toBeGreaterThanOrEqual(20);
    expect((manual.match(/^### /gm) ?? []).length).toBeGreaterThanOrEqual(20);
    for (const code of ["E-101", "E-201", "E-302", "E-402", "E-501"]) expect(manual).toContain(`**${code}`);
    expect(manual).toContain("Settings > Hub > Network > Wi-Fi");
    expect(manual.startsWith("---\nproduct: Lumio HomeHub 3\nlanguage: en\n---\n")).toBe(true);
  });

  it("the Chinese excerpt is in Chinese and has its own sections", () => {
    const zh = read("manual/lumio-homehub-3.zh.md");
    expect((zh.match(/\p{Script=Han}/gu) ?? []).length).toBeGreaterThan(500);
    for (const heading of ["## 重置设备", "## 指示灯说明", "## 连接 Wi-Fi"]) expect(zh).toContain(heading);
  });

  it("the release notes page has boilerplate around a main article", () => {
    const html = read("manual/release-notes.html");
    for (const tag of ["<nav", "<footer", "<main", "<article", "<script"]) expect(html).toContain(tag);
    expect(html).toContain("Version 3.4.2");
  });
});

describe("demo tickets", () => {
  const tickets = loadTickets();

  it("every line is a complete ticket", () => {
    expect(tickets.length).toBeGreaterThanOrEqual(30);
    for (const t of tickets) {
      expect(t.id, JSON.stringify(t)).toMatch(/^T-\d{4}$/);
      for (const field of [t.subject, t.category, t.resolution, t.product, t.created_at]) expect(nonEmpty(field), String(t.id)).toBe(true);
      expect(Number.isNaN(Date.parse(String(t.created_at))), String(t.id)).toBe(false);
      expect(Array.isArray(t.tags), String(t.id)).toBe(true);
      expect(Array.isArray(t.messages) && t.messages.length > 0, String(t.id)).toBe(true);
      for (const m of t.messages as { role?: unknown; text?: unknown }[]) {
        expect(["customer", "agent"]).toContain(m.role);
        expect(nonEmpty(m.text), String(t.id)).toBe(true);
      }
    }
  });

  it("ids are unique", () => {
    const ids = tickets.map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("has at least 6 categories with at least 4 tickets each", () => {
    const counts = new Map<string, number>();
    for (const t of tickets) counts.set(String(t.category), (counts.get(String(t.category)) ?? 0) + 1);
    const big = [...counts.values()].filter((n) => n >= 4);
    expect(big.length).toBeGreaterThanOrEqual(6);
    expect([...counts.values()].every((n) => n >= 4)).toBe(true);
  });

  it("includes Chinese tickets and multi-turn threads", () => {
    const zh = tickets.filter((t) => /\p{Script=Han}/u.test(String(t.subject)));
    expect(zh.length).toBeGreaterThanOrEqual(3);
    expect(tickets.filter((t) => (t.messages as unknown[]).length >= 4).length).toBeGreaterThanOrEqual(5);
  });

  it("contains only obviously fake contact data", () => {
    const text = read("tickets/tickets.jsonl");
    for (const email of text.match(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g) ?? []) expect(email).toMatch(/@example\.(com|org|net)$/);
    for (const phone of text.match(/\+\d[\d ]{8,}\d/g) ?? []) expect(phone).toMatch(/^\+1 555 01/);
  });
});

describe("markdownToPdf", () => {
  it("parses headings, lists and tables", () => {
    const blocks = parseMarkdown("# T\n\nPara one\ncontinues.\n\n- a\n- b\n\n| x | y |\n| --- | --- |\n| 1 | 2 |\n");
    expect(blocks.map((b) => b.kind)).toEqual(["heading", "paragraph", "item", "item", "table"]);
    expect(blocks[1]).toEqual({ kind: "paragraph", text: "Para one continues." });
    expect(blocks[4]).toEqual({ kind: "table", rows: [["x", "y"], ["1", "2"]] });
  });

  it("skips front matter", () => {
    const blocks = parseMarkdown("---\nproduct: X\nlanguage: en\n---\n\n# Title\n");
    expect(blocks).toEqual([{ kind: "heading", level: 1, text: "Title" }]);
  });

  it("renders the manual to a multi-page PDF with header and page numbers", async () => {
    const bytes = await markdownToPdf(read("manual/lumio-homehub-3.md"));
    expect(Buffer.from(bytes.subarray(0, 5)).toString("latin1")).toBe("%PDF-");
    const doc = await PDFDocument.load(bytes);
    expect(doc.getPageCount()).toBeGreaterThan(5);
    expect(doc.getTitle()).toBe("Lumio HomeHub 3 — User Manual");

    // What a PDF loader will see: the running header and "Page i of n" on every page, headings and body text.
    const parser = new PDFParse({ data: bytes });
    try {
      const text = await parser.getText();
      expect(text.pages).toHaveLength(doc.getPageCount());
      for (const page of text.pages) {
        expect(page.text).toContain("Lumio HomeHub 3 — User Manual");
        expect(page.text).toContain(`Page ${page.num} of ${text.pages.length}`);
      }
      expect(text.text).toContain("Factory Reset");
      expect(text.text).toMatch(/If the Hub Overheats or Smells of\s+Burning/);
    } finally {
      await parser.destroy();
    }
  });

  it("does not throw on characters the standard fonts cannot encode", async () => {
    const bytes = await markdownToPdf("# 重置设备\n\nTemperature −20 °C → ok ≥ 3\n");
    expect((await PDFDocument.load(bytes)).getPageCount()).toBe(1);
  });
});
