import { mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isRawDataset, readRawDataset } from "../../src/eval/raw-dataset.js";
import { makeRawDataset } from "./raw-fixture.js";

describe("datasets of files", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeRawDataset();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads documents/ and questions with page gold and key groups", () => {
    expect(isRawDataset(dir)).toBe(true);
    const ds = readRawDataset(dir);
    expect(ds.files).toEqual(["gizmo.pdf", "hub.pdf"]);
    expect(ds.questions).toHaveLength(5);
    expect(ds.questions[0]).toMatchObject({ id: "g-1", answerable: true, gold: [{ file: "gizmo.pdf", pages: [2] }], keys: [["Zorble"], ["12 seconds", "12 s"]] });
    expect(ds.questions[4]).toMatchObject({ answerable: false, gold: [], keys: [] });
  });

  it("takes the documents from another folder (the dataset folder may be read-only)", () => {
    const elsewhere = mkdtempSync(join(tmpdir(), "groundline-docs-"));
    const moved = join(elsewhere, "documents");
    renameSync(join(dir, "documents"), moved);
    try {
      expect(() => readRawDataset(dir)).toThrow(/no documents folder.*fetch\.sh/);
      expect(readRawDataset(dir, moved).documentsDir).toBe(moved);
    } finally {
      renameSync(moved, join(dir, "documents"));
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it("rejects gold that names a file not among the documents, and bad lines with their line number", () => {
    const other = mkdtempSync(join(tmpdir(), "groundline-rawds-bad-"));
    try {
      writeFileSync(join(other, "questions.jsonl"), `${JSON.stringify({ id: "x", question: "q?", gold: [{ file: "missing.pdf", pages: [1] }], keys: [["a"]] })}\n`);
      expect(isRawDataset(other)).toBe(true);
      expect(() => readRawDataset(other, join(dir, "documents"))).toThrow(/gold file missing\.pdf/);
      writeFileSync(join(other, "questions.jsonl"), `\n${JSON.stringify({ id: "x", question: "q?", keys: [[]] })}\n`);
      expect(() => readRawDataset(other, join(dir, "documents"))).toThrow(/questions\.jsonl:2/);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it("a corpus.jsonl dataset is not a dataset of files", () => {
    const jsonl = mkdtempSync(join(tmpdir(), "groundline-jsonl-"));
    try {
      writeFileSync(join(jsonl, "corpus.jsonl"), `${JSON.stringify({ id: "d", title: "t", text: "x" })}\n`);
      writeFileSync(join(jsonl, "questions.jsonl"), `${JSON.stringify({ id: "q", question: "x?", gold: ["d"] })}\n`);
      expect(isRawDataset(jsonl)).toBe(false);
    } finally {
      rmSync(jsonl, { recursive: true, force: true });
    }
  });
});
