import { describe, expect, it } from "vitest";
import { CJK_CHARS, CJK_HANGUL_CHARS, CJK_PUNCT_CHARS, HAS_CJK_RE, STARTS_CJK_RE, countScript } from "../../src/text/cjk.js";

describe("CJK character classes", () => {
  const cls = (chars: string): RegExp => new RegExp(`^[${chars}]$`, "u");

  it("tells Chinese and Japanese from Korean, and takes no Latin letter or CJK punctuation as a character", () => {
    for (const c of ["中", "文", "の", "カ", "ひ"]) expect(cls(CJK_CHARS).test(c)).toBe(true);
    for (const c of ["한", "a", "É", "1", "。", "，"]) expect(cls(CJK_CHARS).test(c)).toBe(false);
    expect(cls(CJK_HANGUL_CHARS).test("한")).toBe(true);
    expect(cls(CJK_HANGUL_CHARS).test("a")).toBe(false);
  });

  it("takes CJK and full-width punctuation as punctuation, not ASCII", () => {
    for (const c of ["。", "、", "　", "，", "！", "（"]) expect(cls(CJK_PUNCT_CHARS).test(c)).toBe(true);
    for (const c of [".", ",", "!", "中"]) expect(cls(CJK_PUNCT_CHARS).test(c)).toBe(false);
  });

  it("tests anywhere or at the start, the same on every call (not global)", () => {
    for (let i = 0; i < 3; i++) expect(HAS_CJK_RE.test("reset 路由器")).toBe(true);
    expect(HAS_CJK_RE.test("reset the router")).toBe(false);
    expect(STARTS_CJK_RE.test("路由器 reset")).toBe(true);
    expect(STARTS_CJK_RE.test("reset 路由器")).toBe(false);
  });

  it("counts the characters of each script, and the same again on a second call", () => {
    const text = "日本語のテキスト、한국어 and 中文";
    for (let i = 0; i < 2; i++) {
      expect(countScript(text, "han")).toBe(5);
      expect(countScript(text, "kana")).toBe(5);
      expect(countScript(text, "hangul")).toBe(3);
      expect(countScript(text, "letter")).toBe(16);
    }
  });
});
