import { describe, expect, it } from "vitest";
import type { Source } from "../../src/domain/answer.js";
import { VerifiedStream, sentencePieces } from "../../src/answer/verified-stream.js";
import { verifyAnswer } from "../../src/answer/verify-citations.js";

const SOURCES: Source[] = [
  { n: 1, chunkId: "c/a#0", documentId: "a", title: "Hub", sectionPath: ["Reset"], sourceType: "manual", score: 1, text: "Hold the reset button for 12 seconds. The LED blinks red." },
  { n: 2, chunkId: "c/b#0", documentId: "b", title: "Hub", sectionPath: ["Pairing"], sourceType: "manual", score: 1, text: "Open the app and choose Add hub." },
];

/** Feeds `draft` word by word, as a model would stream it. */
function run(draft: string): { deltas: string[]; final: string } {
  const deltas: string[] = [];
  const stream = new VerifiedStream(SOURCES, { language: "en" }, (d) => deltas.push(d));
  for (const piece of draft.match(/\S+\s*|\s+/g) ?? []) stream.push(piece);
  const final = verifyAnswer(draft, SOURCES, { language: "en" }).text;
  stream.finish(final);
  return { deltas, final };
}

describe("VerifiedStream", () => {
  it("releases whole verified sentences, renumbered, and never a dropped one", () => {
    const { deltas, final } = run("Open the app and choose Add hub [2]. You get a free unit [2]. The LED blinks red [1].");
    expect(deltas.join("")).toBe(final);
    expect(final).toBe("Open the app and choose Add hub [1]. The LED blinks red [2].");
    expect(deltas.some((d) => d.includes("free"))).toBe(false);
    expect(deltas.length).toBe(2);
  });

  it("holds a sentence back until its markers have arrived", () => {
    const seen: string[] = [];
    const stream = new VerifiedStream(SOURCES, { language: "en" }, (d) => seen.push(d));
    stream.push("Hold the reset button for 12 seconds. ");
    expect(seen).toEqual([]);
    stream.push("[1] Then");
    expect(seen.join("")).toBe("Hold the reset button for 12 seconds. [1]");
  });

  it("cuts text into sentence pieces whose concatenation is the text; list markers end nothing", () => {
    const text = "Steps: [1]\n1. Open the app. [1]\n2. Scan it. [1]\n\nDone [2]. 然后。[1]好";
    const pieces = sentencePieces(text);
    expect(pieces.join("")).toBe(text);
    expect(pieces).toContain("1. Open the app. [1]\n");
  });
});
