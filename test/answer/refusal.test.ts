import { describe, expect, it } from "vitest";
import { holdingReply, refusalText, type RefusalReason } from "../../src/answer/refusal.js";

const REASONS: RefusalReason[] = ["no-evidence", "low-confidence", "unsupported"];
const LANGUAGES = ["en", "zh", "de", "fr", "es", "ja"];
/** A word of each language that offers a human: agent / 人工 / Mitarbeiter / conseiller / agente / 担当者. */
const HUMAN: Record<string, RegExp> = {
  en: /human agent/i,
  zh: /人工客服/,
  de: /Mitarbeiter/,
  fr: /conseiller/,
  es: /agente/,
  ja: /担当者/,
};
const DOCS: Record<string, RegExp> = {
  en: /documentation/i,
  zh: /文档/,
  de: /Dokumentation/,
  fr: /documentation/,
  es: /documentación/,
  ja: /ドキュメント/,
};

describe("refusalText", () => {
  it.each(LANGUAGES)("says in %s that the documentation does not cover it and offers a human", (lang) => {
    for (const reason of REASONS) {
      const text = refusalText(lang, reason);
      expect(text).toMatch(DOCS[lang]!);
      expect(text).toMatch(HUMAN[lang]!);
      expect(text).not.toMatch(/\[\d+\]/);
      expect(text.length).toBeLessThan(220);
    }
  });

  it("words each reason differently", () => {
    for (const lang of LANGUAGES) expect(new Set(REASONS.map((r) => refusalText(lang, r))).size).toBe(3);
  });

  it("uses the primary language subtag and falls back to English", () => {
    expect(refusalText("zh-Hans-CN", "no-evidence")).toBe(refusalText("zh", "no-evidence"));
    expect(refusalText("DE_at", "unsupported")).toBe(refusalText("de", "unsupported"));
    expect(refusalText("ko", "low-confidence")).toBe(refusalText("en", "low-confidence"));
    expect(refusalText("", "no-evidence")).toBe(refusalText("en", "no-evidence"));
  });
});

describe("holdingReply", () => {
  it("thanks the customer in the requested language without citations", () => {
    expect(holdingReply("en")).toMatch(/^Thanks for reaching out/);
    expect(holdingReply("zh-CN")).toMatch(/感谢/);
    expect(holdingReply("ja")).toMatch(/ありがとう/);
    expect(holdingReply("pt")).toBe(holdingReply("en"));
    for (const lang of LANGUAGES) expect(holdingReply(lang)).not.toMatch(/\[\d+\]/);
  });

  it("differs per language", () => {
    expect(new Set(LANGUAGES.map(holdingReply)).size).toBe(LANGUAGES.length);
  });
});
