import { describe, expect, it } from "vitest";
import { BASELINE_B, BASELINE_K1, WordsBigramsIndex, wordsBigramsTerms } from "../../src/eval/words-bigrams.js";

describe("wordsBigrams baseline tokenizer", () => {
  it("keeps segmenter words of letters and digits, lower-cased and unstemmed, then CJK bigrams", () => {
    expect(wordsBigramsTerms("Turning the TV on, E-101!")).toEqual(["turning", "the", "tv", "on", "e", "101"]);
    const terms = wordsBigramsTerms("怎么发给家长？");
    // Words (whatever the segmenter's dictionary gives), then every adjacent pair of the run: no stop words dropped.
    expect(terms.slice(-5)).toEqual(["怎么", "么发", "发给", "给家", "家长"]);
    expect(terms.slice(0, -5).join("")).toBe("怎么发给家长");
    expect(terms).not.toContain("？");
  });

  it("adds no bigram for a lone CJK character and splits runs at punctuation", () => {
    expect(wordsBigramsTerms("钉")).toEqual(["钉"]);
    expect(wordsBigramsTerms("ＡＢ，钉钉").filter((t) => t.length === 2)).toContain("ab");
    expect(wordsBigramsTerms("上传。文件").filter((t) => t === "传文")).toEqual([]);
  });
});

describe("wordsBigrams BM25", () => {
  const index = new WordsBigramsIndex([
    { id: "1", documentId: "a", text: "重置密码的方法" },
    { id: "2", documentId: "b", text: "修改头像 修改头像 修改头像" },
    { id: "3", documentId: "c", text: "密码 找回" },
  ]);

  it("scores with the textbook Okapi formula (k1 1.2, b 0.75)", () => {
    expect([BASELINE_K1, BASELINE_B]).toEqual([1.2, 0.75]);
    const one = new WordsBigramsIndex([
      { id: "x", documentId: "x", text: "apple banana" },
      { id: "y", documentId: "y", text: "cherry" },
    ]);
    // "apple": df 1 of N 2, tf 1, doc length 2 against an average of 1.5.
    const idf = Math.log(1 + (2 - 1 + 0.5) / (1 + 0.5));
    const norm = 1.2 * (1 - 0.75 + (0.75 * 2) / 1.5);
    expect(one.search("apple", 5)[0]!.score).toBeCloseTo((idf * 2.2) / (1 + norm), 10);
  });

  it("ranks by matching words and bigrams, excludes documents, and returns only matches", () => {
    expect(index.search("怎么重置密码", 5).map((h) => h.documentId)).toEqual(["a", "c"]);
    expect(index.search("怎么重置密码", 5, new Set(["a"])).map((h) => h.documentId)).toEqual(["c"]);
    expect(index.search("头像", 1).map((h) => h.documentId)).toEqual(["b"]);
    expect(index.search("天气", 5)).toEqual([]);
  });
});
