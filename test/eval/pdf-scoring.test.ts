import { describe, expect, it } from "vitest";
import { perQuestionLines } from "../../src/eval/per-question.js";
import { keysFound, onGoldPage, pageHitAt, rawReport, reportsByFile, scoreQuestion, wordCount, type QuestionResult } from "../../src/eval/pdf-scoring.js";
import { checkFloors, flattenRaw, formatRawTables, notAheadOf } from "../../src/eval/report-format.js";
import type { RawQuestion } from "../../src/eval/raw-dataset.js";

const gold = [{ file: "a.pdf", pages: [22, 23], section: "3.3 Hardware" }];

function question(over: Partial<RawQuestion> = {}): RawQuestion {
  return { id: "q", question: "which command?", answerable: true, gold, keys: [["lsusb"]], ...over };
}

describe("key matching (the dataset README's rule)", () => {
  it("is case-insensitive, collapses whitespace and matches substrings", () => {
    expect(keysFound("Run  LSUSB -v\nto list devices", [["lsusb -v"]])).toBe(true);
    expect(keysFound("Use  the\tfirmware=never   option", [["FIRMWARE=never"]])).toBe(true);
    expect(keysFound("use lspci", [["lsusb"]])).toBe(false);
  });

  it("needs every group, any alternative of a group", () => {
    const keys = [["2 gigabytes", "2GB", "2 GB"], ["10 gigabytes", "10GB", "10 GB"]];
    expect(keysFound("2GB of RAM and 10 GB of disk", keys)).toBe(true);
    expect(keysFound("2GB of RAM", keys)).toBe(false);
    expect(keysFound("anything", [])).toBe(true);
  });

  it("does not let a citation marker split or fake a key", () => {
    expect(keysFound("hold it for 12 [1] seconds", [["12 seconds"]])).toBe(true);
    expect(keysFound("see [1]", [["[1]"]])).toBe(false);
  });
});

describe("page scoring", () => {
  it("a citation counts on a gold page of the same file only", () => {
    expect(onGoldPage({ file: "a.pdf", page: 23 }, gold)).toBe(true);
    expect(onGoldPage({ file: "a.pdf", page: 24 }, gold)).toBe(false);
    expect(onGoldPage({ file: "b.pdf", page: 22 }, gold)).toBe(false);
    expect(onGoldPage({ file: "a.pdf" }, gold)).toBe(false);
  });

  it("a chunk over a page break is on each of its pages", () => {
    expect(onGoldPage({ file: "a.pdf", page: 21, pageEnd: 22 }, gold)).toBe(true);
    expect(onGoldPage({ file: "a.pdf", page: 20, pageEnd: 21 }, gold)).toBe(false);
  });

  it("page recall at k looks at the first k chunks", () => {
    const ranked = [{ file: "a.pdf", page: 5 }, { file: "a.pdf", page: 22 }];
    expect(pageHitAt(ranked, gold, 1)).toBe(0);
    expect(pageHitAt(ranked, gold, 5)).toBe(1);
  });

  it("correct needs the keys, a gold-page citation and no refusal", () => {
    const good = scoreQuestion(question(), { text: "Run lsusb [1].", citations: [{ file: "a.pdf", page: 22 }], answered: true }, [], 1);
    expect(good).toMatchObject({ keys: true, citation: true, correct: true, words: 2 });
    const nearMiss = scoreQuestion(question(), { text: "Run lsusb [1].", citations: [{ file: "a.pdf", page: 24 }], answered: true }, [], 1);
    expect(nearMiss).toMatchObject({ keys: true, citation: false, correct: false });
    const refused = scoreQuestion(question(), { text: "I could not find lsusb.", citations: [{ file: "a.pdf", page: 22 }], answered: false }, [], 1);
    expect(refused).toMatchObject({ keys: false, citation: false, correct: false, words: 0 });
  });

  it("counts words without citation markers", () => {
    expect(wordCount("Hold the button [1] for 10 s [2, 3].")).toBe(6);
  });
});

function result(over: Partial<QuestionResult>): QuestionResult {
  return { id: "x", question: "?", answerable: true, files: ["a.pdf"], answer: "", citations: [], answered: true, keys: false, citation: false, correct: false, pageHit1: 0, pageHit5: 0, words: 10, rougeL: 0, ms: 1, ...over };
}

describe("per-question lines", () => {
  it("write one JSON line per system and question with the answer, citations and retrieved pages", () => {
    const ranked = [{ file: "b.pdf", page: 3 }, { file: "a.pdf", page: 22 }];
    const r = scoreQuestion(question(), { text: "Run lsusb [1].", citations: [{ file: "a.pdf", page: 22 }], answered: true }, ranked, 5);
    const lines = perQuestionLines({ hybrid: [r], bm25: [r] }).trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.system)).toEqual(["hybrid", "bm25"]);
    expect(lines[0]).toMatchObject({ id: "q", answer: "Run lsusb [1].", citations: [{ file: "a.pdf", page: 22 }], ranked, pageHit1: 0, pageHit5: 1, correct: true });
  });
});

describe("reports", () => {
  const results = [
    result({ id: "1", correct: true, keys: true, citation: true, pageHit1: 1, pageHit5: 1, words: 20 }),
    result({ id: "2", files: ["a.pdf", "b.pdf"], keys: true, pageHit5: 1, words: 40 }),
    result({ id: "3", files: ["b.pdf"], answered: false, words: 0 }),
    result({ id: "4", answerable: false, files: [], answered: false, words: 0 }),
    result({ id: "5", answerable: false, files: [], answered: true, citations: [{ file: "a.pdf", page: 1 }], words: 30 }),
  ];

  it("answer figures over answerable questions, refusals over unanswerable ones, length over their given answers", () => {
    const r = rawReport(results);
    expect(r).toMatchObject({ correct: 0.333, keyAccuracy: 0.667, citationAccuracy: 0.333, "pageRecall@1": 0.333, "pageRecall@5": 0.667, wrongRefusal: 0.333, unanswerableRefused: 0.5 });
    expect(r.questions).toEqual({ answerable: 3, unanswerable: 2 });
    // The off-topic reply (5) is not an answer's length: refusing it leaves the lengths as they are.
    const refusedOffTopic = rawReport(results.map((x) => (x.id === "5" ? { ...x, answered: false, citations: [], words: 0 } : x)));
    expect(refusedOffTopic).toMatchObject({ medianWords: r.medianWords, p95Words: r.p95Words, unanswerableRefused: 1 });
    expect(rawReport([...results, result({ id: "6", words: 100 })]).medianWords).toBe(40);
  });

  it("per file: a question with gold in two files counts in both; unanswerable ones only in the dataset", () => {
    const by = reportsByFile(results, ["a.pdf", "b.pdf", "c.pdf"]);
    expect(Object.keys(by)).toEqual(["all", "a.pdf", "b.pdf"]);
    expect(by["a.pdf"]!.questions).toEqual({ answerable: 2, unanswerable: 0 });
    expect(by["b.pdf"]).toMatchObject({ correct: 0, keyAccuracy: 0.5, wrongRefusal: 0.5, unanswerableRefused: null });
  });

  it("page recall is null when no ranking was measured (HTTP)", () => {
    expect(rawReport([result({ pageHit1: null, pageHit5: null })])["pageRecall@1"]).toBeNull();
  });

  it("floors apply per system and per file; refusals of answerable questions and lengths are ceilings", () => {
    const flat = flattenRaw({ hybrid: reportsByFile(results, ["a.pdf", "b.pdf"]) });
    expect(Object.keys(flat)).toEqual(["hybrid", "hybrid@a.pdf", "hybrid@b.pdf"]);
    expect(checkFloors(flat, { ds: { hybrid: { correct: 0.3, wrongRefusal: 0.4, medianWords: 30 } } }, "ds")).toEqual([]);
    const failures = checkFloors(flat, { ds: { hybrid: { wrongRefusal: 0.2, medianWords: 15 }, "hybrid@b.pdf": { correct: 0.1 }, dense: { correct: 0 } } }, "ds");
    expect(failures).toEqual([
      "ds hybrid wrongRefusal = 0.333 > 0.2",
      "ds hybrid medianWords = 20 > 15",
      "ds hybrid@b.pdf correct = 0 < 0.1",
      "ds dense: not measured (floors name it)",
    ]);
  });

  it("tables show one block per scope, systems side by side, '-' for what was not measured", () => {
    const text = formatRawTables({ hybrid: reportsByFile(results, ["a.pdf"]), http: { all: rawReport(results.map((r) => ({ ...r, pageHit1: null, pageHit5: null }))) } });
    expect(text).toContain("== all files (3 answerable, 2 unanswerable)");
    expect(text).toContain("== a.pdf (2 answerable, 0 unanswerable)");
    expect(text).toMatch(/pageRecall@1\s+0\.333\s+-/);
  });

  it("names the figures on which a system is not ahead of a baseline (ceilings: lower is ahead; ties are not ahead)", () => {
    const base = rawReport(results);
    const better = { ...base, correct: 0.9, wrongRefusal: 0.1, medianWords: base.medianWords - 1 };
    expect(notAheadOf({ all: better }, { all: base }).all).toEqual(["keyAccuracy", "citationAccuracy", "pageRecall@1", "pageRecall@5", "unanswerableRefused", "p95Words", "rougeL"]);
    expect(notAheadOf({ all: base, "a.pdf": base }, { all: base })).toEqual({ all: expect.arrayContaining(["correct"]) as unknown });
  });
});
