import { afterEach, describe, expect, it } from "vitest";
import type { HistoryTurn, Source } from "../../src/domain/answer.js";
import type { ScoredChunk } from "../../src/retrieval/retrieve.js";
import { avoidGivenPassage, speaksOfReversing } from "../../src/answer/follow-up.js";
import { ExtractiveComposer } from "../../src/answer/extractive.js";
import { createAnswering } from "../../src/container.js";
import { openTestEngineWith } from "../support/temp-engine.js";

/** A generated section where the action and its reversal are explained together, each with its command line. */
const FREEZE_SECTION = [
  "There are two ways of freezing a widget, with wtool or with the panel.",
  "",
  "With wtool, you can freeze a widget using",
  "",
  "wtool freeze widget_name",
  "",
  "and remove the freeze with",
  "",
  "wtool unfreeze widget_name",
  "",
  "With the panel, open Widgets and tick Frozen; untick it to thaw the widget again.",
].join("\n");

function source(n: number, text: string): Source {
  return { n, chunkId: `c/doc-${n}#0`, documentId: `doc-${n}`, title: "Widget handbook", sectionPath: ["How do I freeze a widget?"], sourceType: "manual", text, score: 1 };
}

function chunk(id: string, text: string): ScoredChunk {
  return { id, documentId: id, collection: "default", title: "Widget handbook", sectionPath: [], text, score: 1, sourceType: "manual" } as unknown as ScoredChunk;
}

describe("speaksOfReversing", () => {
  it("finds reversing verbs and un-/dis- forms of the topic's words", () => {
    expect(speaksOfReversing("and remove the freeze with", "How do I freeze a widget?")).toBe(true);
    expect(speaksOfReversing("wtool unfreeze widget_name", "How do I freeze a widget?")).toBe(true);
    expect(speaksOfReversing("Disconnect the cable first.", "How do I connect the cable?")).toBe(true);
    expect(speaksOfReversing("wtool freeze widget_name", "How do I freeze a widget?")).toBe(false);
    expect(speaksOfReversing("The widget runs until it is frozen.", "How do I freeze a widget?")).toBe(false);
  });
});

describe("'undo that' after an answer taken from a passage that also explains the reversal", () => {
  const history: HistoryTurn[] = [
    { role: "user", content: "How do I freeze a widget?" },
    { role: "assistant", content: "With wtool, you can freeze a widget using\nwtool freeze widget_name [1]" },
  ];

  it("keeps that passage among the candidates (it holds the answer), and leaves out one that only repeats the action", () => {
    const both = chunk("both", FREEZE_SECTION);
    const only = chunk("only", "With wtool, you can freeze a widget using\n\nwtool freeze widget_name\n\nFrozen widgets keep their state.");
    const other = chunk("other", "Widgets can be renamed in the panel.");
    expect(avoidGivenPassage("and how do I undo that?", history, [both, other]).map((c) => c.id)).toEqual(["both", "other"]);
    expect(avoidGivenPassage("and how do I undo that?", history, [only, other]).map((c) => c.id)).toEqual(["other"]);
  });

  it("the extractive reply quotes the reversing command, not the action again", () => {
    const reply = new ExtractiveComposer({ answerWindow: 1 }).extract("how do I undo that (freeze a widget)?", [source(1, FREEZE_SECTION)], "en");
    expect(reply).toContain("wtool unfreeze widget_name");
    // The action being undone is not quoted again as a step before the reversal.
    expect(reply).not.toMatch(/^wtool freeze widget_name/m);
    const plain = new ExtractiveComposer({ answerWindow: 1 }).extract("How do I freeze a widget?", [source(1, FREEZE_SECTION)], "en");
    expect(plain).toContain("wtool freeze widget_name");
  });
});

describe("a three-turn conversation over a generated manual", () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it("'and how do I undo that?' answers the reversal from the same section", async () => {
    const manual = `# Widget handbook\n\n## How do I freeze a widget?\n\n${FREEZE_SECTION}\n\n## Renaming widgets\n\nWidgets can be renamed in the panel under Widgets, Rename.\n`;
    const t = await openTestEngineWith({ "widgets.md": manual }, { ANSWER_MIN_CONFIDENCE: "0" });
    cleanups.push(t.cleanup);
    const answering = await createAnswering(t.engine);
    const history: HistoryTurn[] = [];
    const replies: string[] = [];
    for (const question of ["How do I freeze a widget?", "and how do I undo that?"]) {
      const a = await answering.answer({ question, history: [...history] });
      replies.push(a.answer);
      history.push({ role: "user", content: question }, { role: "assistant", content: a.answer });
    }
    expect(replies[0]).toContain("wtool freeze widget_name");
    expect(replies[1]).toContain("unfreeze");
    expect(replies[1]).not.toBe(replies[0]);
  });
});
