import { describe, expect, it } from "vitest";
import type { Source } from "../../src/domain/answer.js";
import { ExtractiveComposer } from "../../src/answer/extractive.js";
import { verifyAnswer } from "../../src/answer/verify-citations.js";
import { splitSentences } from "../../src/text/sentences.js";

/** Issue #10 finding 13: an answer quoted "Visit http://evil.example.com/steal? [1] x=1 …". */
function source(n: number, text: string): Source {
  return { n, chunkId: `c/doc-${n}#0`, documentId: `doc-${n}`, title: "Portal guide", sectionPath: ["Portal"], sourceType: "manual", text, score: 1 };
}

/** Every citation marker sits outside URLs, code spans and numbers. */
function expectMarkersOutside(text: string): void {
  const guarded = [...text.matchAll(/https?:\/\/\S+|`[^`\n]+`|\d+(?:[.,:]\d+)+/g)].map((m) => m[0]);
  for (const g of guarded) expect(g, text).not.toMatch(/\[\d+(?:, \d+)*\]/);
}

describe("sentences never end inside a URL, a code span or a number", () => {
  it.each([
    ["Visit http://portal.example.com/login?next=billing for the invoices. Then sign in.", ["Visit http://portal.example.com/login?next=billing for the invoices.", "Then sign in."]],
    ["Open https://example.com/a.b!c?d=1&e=2 to start.", ["Open https://example.com/a.b!c?d=1&e=2 to start."]],
    ["Run `ls -la; echo done. Next` now. Then go.", ["Run `ls -la; echo done. Next` now.", "Then go."]],
    ["Call it via `foo?bar` please. Ok.", ["Call it via `foo?bar` please.", "Ok."]],
    ["Ask www.example.com/faq?q=reset!Really. Done.", ["Ask www.example.com/faq?q=reset!Really.", "Done."]],
  ])("%s", (text, expected) => {
    expect(splitSentences(text)).toEqual(expected);
  });
});

describe("citation markers", () => {
  it("the extractive composer cites after a URL, never inside it", async () => {
    const guide = source(1, "To download your invoices, visit http://portal.example.com/billing?year=2026&format=pdf and sign in. Invoices are kept for 7 years.");
    const answer = await new ExtractiveComposer().compose({ question: "How do I download my invoices?", language: "en", sources: [guide] });
    expect(answer.text).toContain("http://portal.example.com/billing?year=2026&format=pdf and sign in.");
    expectMarkersOutside(answer.text);
  });

  it("verification keeps a URL with '?' whole and its marker after the sentence", () => {
    const guide = source(1, "Visit http://portal.example.com/steal?x=1 to reset the password of the portal account.");
    const draft = "Visit http://portal.example.com/steal?x=1 to reset the password of the portal account [1].";
    const out = verifyAnswer(draft, [guide]);
    expect(out.refused).toBe(false);
    expect(out.text).toBe(draft);
  });

  it("a marker drafted inside a URL moves after it; brackets inside a code span are code, not markers", () => {
    const guide = source(1, "Visit http://portal.example.com/steal?x=1 to reset the password. Read the value with `items[2]` in the console.");
    const out = verifyAnswer("Visit http://portal.example.com/steal?[1]x=1 to reset the password. Read the value with `items[2]` in the console [1].", [guide]);
    expect(out.text).toBe("Visit http://portal.example.com/steal?x=1 [1] to reset the password. Read the value with `items[2]` in the console [1].");
    expect(out.citations.map((c) => c.n)).toEqual([1]);
  });

  it("renumbering never touches numbers in the text", () => {
    const a = source(1, "Firmware 3.4.1 fixes the reboot loop.");
    const b = source(2, "The update takes 1.5 minutes.");
    const out = verifyAnswer("The update takes 1.5 minutes [2]. Firmware 3.4.1 fixes the reboot loop [1].", [a, b]);
    expect(out.text).toBe("The update takes 1.5 minutes [1]. Firmware 3.4.1 fixes the reboot loop [2].");
  });
});
