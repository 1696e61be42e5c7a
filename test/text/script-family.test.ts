import { describe, expect, it } from "vitest";
import { isConstraining, matchesChunkFilter, type FilterFields } from "../../src/domain/chunk.js";
import { questionScriptFamily, quotableIn } from "../../src/text/language.js";

describe("a question's script family", () => {
  it("is CJK for a Chinese or Japanese question, even with Latin names in it", () => {
    expect(questionScriptFamily("怎么开启回收站？")).toBe("cjk");
    expect(questionScriptFamily("crontab 的 weekday 字段怎么填？")).toBe("cjk");
    expect(questionScriptFamily("ルーターをリセットするには？")).toBe("cjk");
  });

  it("is alphabetic for a question with a function word of a Latin-script language", () => {
    expect(questionScriptFamily("How do I reset the N2?")).toBe("alphabetic");
    expect(questionScriptFamily("Wie setze ich den Router zurück?")).toBe("alphabetic");
  });

  it("is undefined for a question that is only commands or identifiers", () => {
    expect(questionScriptFamily("crontab -e")).toBeUndefined();
    expect(questionScriptFamily("N2 E-104")).toBeUndefined();
    expect(questionScriptFamily("?!")).toBeUndefined();
  });
});

describe("what an extractive reply may quote", () => {
  it("keeps chunks of the question's family and chunks without a language", () => {
    expect(quotableIn("cjk", "zh-Hans")).toBe(true);
    expect(quotableIn("cjk", "ko")).toBe(true);
    expect(quotableIn("cjk", "en")).toBe(false);
    expect(quotableIn("alphabetic", "zh")).toBe(false);
    expect(quotableIn("alphabetic", "de")).toBe(true);
    expect(quotableIn("alphabetic", undefined)).toBe(true);
  });

  it("keeps every chunk for a question of no definite family", () => {
    expect(quotableIn(undefined, "zh")).toBe(true);
    expect(quotableIn(undefined, "en")).toBe(true);
  });
});

describe("the script family filter (what the indexes search for such a reply)", () => {
  const chunk = (language?: string): FilterFields => ({ collection: "c", documentId: "d", sourceType: "manual", ...(language !== undefined ? { language } : {}) });

  it("keeps the same chunks as quotableIn, tag forms included", () => {
    for (const language of ["zh", "zh-CN", "zh_TW", " ZH-Hans ", "ja", "ko-KR", "en", "en-US", "de", "zhx", "", undefined]) {
      for (const family of ["cjk", "alphabetic"] as const) {
        expect(matchesChunkFilter(chunk(language), { scriptFamily: family })).toBe(quotableIn(family, language));
      }
    }
  });

  it("constrains a search (so a vector index filters for it) and combines with the other fields", () => {
    expect(isConstraining({ scriptFamily: "cjk" })).toBe(true);
    expect(matchesChunkFilter(chunk("zh"), { scriptFamily: "cjk", collections: ["other"] })).toBe(false);
  });
});
