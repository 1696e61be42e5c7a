import { describe, expect, it } from "vitest";
import { loadJsonl } from "../../../ingest/loaders/jsonl.js";
import { UnsupportedDocumentError } from "../../../src/errors.js";

const input = { fileName: "corpus.jsonl", sourcePath: "data/corpus.jsonl", id: "unused" };

function rejection(text: string): UnsupportedDocumentError {
  try {
    loadJsonl(text, input);
  } catch (err) {
    expect(err).toBeInstanceOf(UnsupportedDocumentError);
    return err as UnsupportedDocumentError;
  }
  throw new Error("expected a rejection");
}

const lines = (...records: unknown[]): string => records.map((r) => (typeof r === "string" ? r : JSON.stringify(r))).join("\n");

describe("loadJsonl", () => {
  it("turns corpus lines into manual documents and ticket lines into tickets", () => {
    const text = lines(
      { id: " KB-001 ", title: "Reset the router", text: "Hold reset\r\nfor 10 s.  ", url: "https://kb/1", product: "X2", language: "en" },
      "",
      { id: "T-9", subject: "Router keeps rebooting", messages: [{ role: "customer", text: "It reboots." }], resolution: "Replace the PSU." },
      "   ",
      { id: 42, title: "", text: "Numbers become string ids.\nSecond line." },
    );
    const docs = loadJsonl(text, input);
    expect(docs).toHaveLength(3);
    expect(docs[0]).toEqual({
      id: " KB-001 ",
      title: "Reset the router",
      sourceType: "manual",
      format: "application/jsonl",
      sections: [{ path: [], text: "Hold reset\nfor 10 s." }],
      url: "https://kb/1",
      product: "X2",
      language: "en",
      sourcePath: "data/corpus.jsonl",
    });
    expect(docs[1]).toMatchObject({
      id: "T-9",
      sourceType: "ticket",
      format: "application/x-ticket",
      title: "Router keeps rebooting",
      sections: [{ path: [], text: "Subject: Router keeps rebooting\nCustomer: It reboots.\nResolution: Replace the PSU." }],
      ticket: { subject: "Router keeps rebooting", resolution: "Replace the PSU." },
    });
    expect(docs[2]).toMatchObject({ id: "42", title: "Numbers become string ids." });
  });

  it("rejects the whole file for bad lines, naming line numbers", () => {
    const err = rejection(
      lines(
        { id: "a", title: "A", text: "fine" },
        "{not json",
        { id: "b", title: "B" },
        { id: "c", title: "C", text: "   " },
        [1, 2],
        { id: "a", title: "dup", text: "x" },
        { resolution: "no id" },
      ),
    );
    expect(err.file).toBe("data/corpus.jsonl");
    expect(err.message).toMatch(/line 2: malformed JSON at column \d+: unexpected/);
    expect(err.message).toContain("line 3: neither a corpus record");
    expect(err.message).toContain("line 4: record has no text");
    expect(err.message).toContain("line 5: not a JSON object");
    expect(err.message).toContain("line 6: duplicate id (first at line 1)");
    expect(err.message).toContain("and 1 more");
  });

  it("rejects empty ids and wrong field types", () => {
    expect(rejection(lines({ id: "", title: "t", text: "x" })).message).toMatch(/line 1: field 'id'/);
    expect(rejection(lines({ id: "x", title: 5, text: "x" })).message).toMatch(/line 1: field 'title'/);
    expect(rejection("\n\n").message).toMatch(/no records/);
  });

  it("is fast on large files", () => {
    const record = (i: number): string =>
      JSON.stringify({ id: `doc-${i}`, title: `Title ${i}`, text: `Body text number ${i} about routers and resets.`, product: "X2" });
    const small = Array.from({ length: 259 }, (_, i) => record(i)).join("\n");
    const big = Array.from({ length: 20_000 }, (_, i) => record(i)).join("\n");
    loadJsonl(small, input);
    let t = performance.now();
    expect(loadJsonl(small, input)).toHaveLength(259);
    expect(performance.now() - t).toBeLessThan(50);
    t = performance.now();
    expect(loadJsonl(big, input)).toHaveLength(20_000);
    expect(performance.now() - t).toBeLessThan(1500);
  });
});
