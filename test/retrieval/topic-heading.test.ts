import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LoadedDocument } from "../../src/domain/document.js";
import { DEFAULT_RETRIEVAL_SETTINGS, retrieve, type RetrieverDeps } from "../../src/retrieval/retrieve.js";
import { openRetrievalFixture, type openTestEngine } from "../support/temp-engine.js";

/**
 * A manual generated here: one section is about the question's subject under a heading that names it; its neighbour
 * repeats the question's words in its text more often.
 */
const MANUAL: LoadedDocument = {
  id: "manual",
  title: "Recovery guide",
  sourceType: "manual",
  format: "text/plain",
  sections: [
    { path: ["Chapter 7 Networking", "7.1 Wireless"], text: "Wireless adapters need firmware files. Copy them to a stick before you start." },
    {
      path: ["Chapter 8 Recovery", "8.1 Boot menu entries"],
      text: "The boot menu lists each system the boot loader knows. Another system may add its own entry to the menu; choose the entry with the arrow keys.",
    },
    {
      path: ["Chapter 8 Recovery", "8.2 Restoring the boot loader"],
      text: "Start the rescue mode from the install stick when the system no longer starts, open a shell on the root file system and run the installation command of the loader again.",
    },
  ],
};

let ctx: Awaited<ReturnType<typeof openTestEngine>>;
let deps: RetrieverDeps;

beforeAll(async () => {
  ({ ctx, deps } = await openRetrievalFixture([MANUAL]));
});
afterAll(async () => ctx.cleanup());

const settings = (topicHeading: number) => ({ ...DEFAULT_RETRIEVAL_SETTINGS, weights: { ...DEFAULT_RETRIEVAL_SETTINGS.weights, topicHeading } });
const QUESTION = "another system overwrote my boot loader, how do I restore the boot loader";

describe("the topic-heading feature", () => {
  it("ranks the section whose heading names the question ahead of a neighbour that repeats its words", async () => {
    const without = await retrieve(deps, QUESTION, { mode: "hybrid", topK: 3 }, settings(0));
    expect(without.chunks[0]?.sectionPath.at(-1)).toBe("8.1 Boot menu entries");
    // Weighed like the passage evidence, the heading decides (the built-in 0.2 moves near-ties only; measured on the dev sets).
    const withHeading = await retrieve(deps, QUESTION, { mode: "hybrid", topK: 3 }, settings(1));
    expect(withHeading.chunks[0]?.sectionPath.at(-1)).toBe("8.2 Restoring the boot loader");
    expect(withHeading.chunks[0]?.lexical?.topicHeading).toBeGreaterThan(0);
    expect(withHeading.chunks.map((c) => c.id).sort()).toEqual(without.chunks.map((c) => c.id).sort());
    expect(withHeading.chunks.find((c) => c.sectionPath.at(-1) === "8.1 Boot menu entries")?.lexical?.topicHeading).toBe(0);
  });

  it("is built in with a small weight and plays no part in bm25 mode", async () => {
    expect(DEFAULT_RETRIEVAL_SETTINGS.weights.topicHeading).toBeGreaterThan(0);
    const a = await retrieve(deps, QUESTION, { mode: "bm25", topK: 3 }, settings(0));
    const b = await retrieve(deps, QUESTION, { mode: "bm25", topK: 3 }, settings(5));
    expect(b.chunks.map((c) => c.id)).toEqual(a.chunks.map((c) => c.id));
  });
});
