import { describe, expect, it } from "vitest";
import type { Source } from "../../src/domain/answer.js";
import { ExtractiveComposer } from "../../src/answer/extractive.js";
import { createSourceMemos, sourceSentenceSpans } from "../../src/answer/source-memos.js";
import { verifyAnswer } from "../../src/answer/verify-citations.js";
import { PAGE_BREAK } from "../../src/domain/chunk.js";
import { sentenceSpans } from "../../src/text/sentences.js";

function source(n: number, text: string, extra: Partial<Source> = {}): Source {
  return { n, chunkId: `c/doc-${n}#0`, documentId: `doc-${n}`, title: `Lamp guide ${n}`, sectionPath: [`Part ${n}`], sourceType: "manual", text, score: 1 / n, ...extra };
}

// Made-up manual text; the first source runs over a page break, so citations depend on the page spans.
const DIMMER = source(
  1,
  `The dimmer knob sets the brightness of the lamp. Turn it clockwise to brighten.${PAGE_BREAK}To reset the dimmer, hold the knob down for 8 seconds. The lamp flashes twice when the reset is done.`,
  { page: 7, pageLabel: "7" },
);
const TIMER = source(2, "The sleep timer switches the lamp off after 30 minutes. Press the moon key twice to start it.", { score: 0.9 });
const SOURCES = [DIMMER, TIMER];
const QUESTIONS = ["How do I reset the dimmer?", "How do I start the sleep timer?", "Which way do I turn the dimmer knob to brighten the lamp?"];

describe("source memos", () => {
  it("gives the spans sentenceSpans gives, once per text and language", () => {
    const memos = createSourceMemos(8);
    const first = sourceSentenceSpans(DIMMER.text, "en", memos.spans);
    expect(first).toEqual(sentenceSpans(DIMMER.text, "en"));
    expect(sourceSentenceSpans(DIMMER.text, "en", memos.spans)).toBe(first);
    // An absent language is English, as sentenceSpans reads it; another language is another entry.
    expect(sourceSentenceSpans(DIMMER.text, undefined, memos.spans)).toBe(first);
    expect(sourceSentenceSpans(DIMMER.text, "zh", memos.spans)).not.toBe(first);
    expect(memos.spans.size).toBe(2);
  });

  it("leaves composed and verified answers as they are without memos, also when the memos are warm", () => {
    const plain = new ExtractiveComposer();
    const memos = createSourceMemos();
    const memoised = new ExtractiveComposer({}, memos);
    for (const round of [1, 2]) {
      for (const q of QUESTIONS) {
        const text = plain.extract(q, SOURCES, "en");
        expect(text).not.toBe("");
        expect(memoised.extract(q, SOURCES, "en"), `round ${round}: ${q}`).toBe(text);
        const expected = verifyAnswer(text, SOURCES, { language: "en" });
        expect(verifyAnswer(text, SOURCES, { language: "en", sourceMemos: memos }), `round ${round}: ${q}`).toEqual(expected);
      }
    }
    // The composer's spans served the verifier: both sources were split once, and the cited ones' pages remembered.
    expect(memos.spans.size).toBe(2);
    expect(memos.pages.size).toBeGreaterThan(0);
    expect(memos.sentenceTerms.size).toBeGreaterThan(0);
    const reset = verifyAnswer(plain.extract(QUESTIONS[0]!, SOURCES, "en"), SOURCES, { language: "en", sourceMemos: memos });
    expect(reset.citations.map((c) => [c.documentId, c.page, c.pageLabel])).toEqual([["doc-1", 7, "7"], ["doc-1", 8, "8"]]);
  });
});
