import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LoadedDocument } from "../../src/domain/document.js";
import { DEFAULT_RETRIEVAL_SETTINGS, retrieve, type RetrieverDeps } from "../../src/retrieval/retrieve.js";
import { DENSE_RANK_K, denseRankFeature } from "../../src/retrieval/rerankers/fusion.js";
import { openRetrievalFixture, type openTestEngine } from "../support/temp-engine.js";

/** A manual generated here: two sections share the question's words, one is about its subject under its heading. */
const MANUAL: LoadedDocument = {
  id: "manual",
  title: "Setup guide",
  sourceType: "manual",
  format: "text/plain",
  sections: [
    {
      path: ["Firmware setup", "Opening the setup menu"],
      text: "To open the setup menu press Delete while the machine starts. The setup menu lets you turn options on, turn options off and disable devices. Setup changes apply after a restart; turn the machine off and on again to apply a setup change.",
    },
    {
      path: ["Firmware setup", "Verified start"],
      text: "Verified start only runs signed loaders. The signed shim loader is supported, so verified start can stay enabled.",
    },
    { path: ["Networking", "Wireless"], text: "Wireless adapters need firmware files. Copy them to a stick before you start." },
  ],
};

let ctx: Awaited<ReturnType<typeof openTestEngine>>;
let deps: RetrieverDeps;

beforeAll(async () => {
  ({ ctx, deps } = await openRetrievalFixture([MANUAL]));
});
afterAll(async () => ctx.cleanup());

const settings = (denseRank: number) => ({ ...DEFAULT_RETRIEVAL_SETTINGS, weights: { ...DEFAULT_RETRIEVAL_SETTINGS.weights, denseRank } });

describe("the dense-rank feature", () => {
  it("is 1 / (k + rank) for the vector index's hits, falling with the rank, and 0 for chunks it did not return", () => {
    expect(denseRankFeature(1)).toBeCloseTo(1 / (DENSE_RANK_K + 1), 12);
    expect(denseRankFeature(1)).toBeGreaterThan(denseRankFeature(2));
    expect(denseRankFeature(2)).toBeGreaterThan(denseRankFeature(10));
    expect(denseRankFeature(10)).toBeGreaterThan(0);
    expect(denseRankFeature(undefined)).toBe(0);
  });

  it("moves the vector index's nearest neighbour ahead of a section that only repeats the question's words", async () => {
    const question = "does verified start work or must I turn it off in the setup menu";
    const without = await retrieve(deps, question, { mode: "hybrid", topK: 3 }, settings(0));
    const nearest = without.chunks.find((c) => c.denseRank === 1);
    expect(nearest?.sectionPath.at(-1)).toBe("Verified start");
    // Without the feature the section that repeats "turn", "setup", "menu" wins on the lexical evidence.
    expect(without.chunks[0]?.sectionPath.at(-1)).toBe("Opening the setup menu");
    // A dominant weight: rank 1 against rank 2 is 1 against 6/7 after normalisation, so it must outweigh the rest.
    const withRank = await retrieve(deps, question, { mode: "hybrid", topK: 3 }, settings(50));
    expect(withRank.chunks[0]?.sectionPath.at(-1)).toBe("Verified start");
    expect(withRank.chunks.map((c) => c.id).sort()).toEqual(without.chunks.map((c) => c.id).sort());
  });

  it("plays no part in bm25 mode, where the vector index is not asked", async () => {
    const question = "does verified start work or must I turn it off in the setup menu";
    const a = await retrieve(deps, question, { mode: "bm25", topK: 3 }, settings(0));
    const b = await retrieve(deps, question, { mode: "bm25", topK: 3 }, settings(2));
    expect(b.chunks.map((c) => c.id)).toEqual(a.chunks.map((c) => c.id));
    expect(b.chunks.every((c) => c.denseRank === undefined)).toBe(true);
  });
});
