import { describe, expect, it } from "vitest";
import type { Source } from "../../src/domain/answer.js";
import { ExtractiveComposer } from "../../src/answer/extractive.js";
import { verifyAnswer } from "../../src/answer/verify-citations.js";

/** A generated manual section: the answering sentence, a lead-out, and a console log of `lines` lines under it. */
function section(lines: number): Source {
  const log = Array.from({ length: lines }, (_, k) => `I: step ${k + 1} of the widget setup finished`);
  const text = [
    "If the widgetize command is invoked with the -V option, more verbose comments are written into the generated template files.",
    "The output of the widgetize command is long and explains what it does as follows.",
    "$ cd widget-0.1",
    "$ widgetize",
    ...log,
    "",
    "The generated files are then edited by hand.",
  ].join("\n");
  return { n: 1, chunkId: "c/guide#0", documentId: "guide", title: "Guide", sectionPath: ["Step 2: generate the templates"], sourceType: "manual", text, score: 1 };
}

async function answer(question: string, source: Source): Promise<string> {
  const composed = await new ExtractiveComposer().compose({ question, language: "en", sources: [source] });
  const verified = verifyAnswer(composed.text, [source], { language: "en" });
  expect(verified.text).toBe(composed.text);
  return composed.text;
}

describe("a long block carried after the answering sentence is cut short", () => {
  it("quotes the first lines of a long console log after a one-sentence answer and marks the cut", async () => {
    const text = await answer("How can I get more verbose comments in the generated template files?", section(16));
    expect(text).toContain("-V option");
    expect(text).toContain("$ widgetize\nI: step 1 of the widget setup finished");
    expect(text).toContain("I: step 6 of the widget setup finished … [1]");
    expect(text).not.toContain("step 7 ");
    expect(text.split("\n").length).toBeLessThanOrEqual(9);
  });

  it("keeps a short block whole", async () => {
    const text = await answer("How can I get more verbose comments in the generated template files?", section(4));
    expect(text).toContain("I: step 4 of the widget setup finished [1]");
    expect(text).not.toContain("…");
  });

  it("keeps the whole block when the question asks about a line of it", async () => {
    const text = await answer("What does step 14 of the widget setup print?", section(16));
    expect(text).toContain("I: step 16 of the widget setup finished [1]");
    expect(text).not.toContain("…");
  });
});
