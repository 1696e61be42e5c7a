import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LoadedDocument } from "../../src/domain/document.js";
import { DEFAULT_RETRIEVAL_SETTINGS, retrieve, type RetrieverDeps } from "../../src/retrieval/retrieve.js";
import { openRetrievalFixture, type openTestEngine } from "../support/temp-engine.js";

/** Generated prose about the hub's pairing, long enough that the section is cut into several chunks. */
function paragraph(topic: string, k: number): string {
  return Array.from({ length: 12 }, (_, i) => `Step ${k * 12 + i} of the ${topic} pairing keeps the hub and the remote in range while the lights blink.`).join(" ");
}

const LONG = [paragraph("bluetooth", 0), paragraph("bluetooth", 1), `${paragraph("bluetooth", 2)} To pair over bluetooth without the app, hold the pair=bt button.`].join("\n\n");

const DOCS: LoadedDocument[] = [
  { id: "pairing", title: "Pairing", sourceType: "manual", format: "text/plain", sections: [{ path: ["Pairing", "Bluetooth pairing"], text: LONG }] },
  { id: "picture", title: "Picture", sourceType: "manual", format: "text/plain", sections: [{ path: ["Picture"], text: "Change the picture mode to Movie for dark rooms." }] },
];

let ctx: Awaited<ReturnType<typeof openTestEngine>>;
let deps: RetrieverDeps;

beforeAll(async () => {
  ({ ctx, deps } = await openRetrievalFixture(DOCS));
});
afterAll(async () => ctx.cleanup());

describe("retrieve: the top section's next-best chunk", () => {
  const question = "How do I pair the remote over bluetooth pairing?";
  const withShare = (mateShare: number, q = question) => retrieve(deps, q, { mode: "hybrid", topK: 4 }, { ...DEFAULT_RETRIEVAL_SETTINGS, mateShare });

  it("is the section's best chunk that diversification dropped, apart from the one-per-section results", async () => {
    // Every chunk of the section, as ranked: the first is the top result, the second the mate.
    const all = await retrieve(deps, question, { mode: "hybrid", topK: 6 }, { ...DEFAULT_RETRIEVAL_SETTINGS, perSection: 5 });
    const section = all.chunks.filter((c) => c.documentId === "pairing");
    expect(section.length).toBeGreaterThan(2);
    const ratio = section[1]!.score / section[0]!.score;
    const r = await withShare(ratio - 0.01);
    expect(r.chunks[0]?.id).toBe(section[0]!.id);
    expect(r.chunks.filter((c) => c.documentId === "pairing")).toHaveLength(1);
    expect(r.sectionMate?.id).toBe(section[1]!.id);
    expect(r.sectionMate?.text).toBe(section[1]!.text);
    expect(r.chunks.map((c) => c.id)).toEqual((await withShare(0)).chunks.map((c) => c.id));
  });

  it("is not returned when it scores below the share, when the share is 0, or when the section has one chunk", async () => {
    const all = await retrieve(deps, question, { mode: "hybrid", topK: 6 }, { ...DEFAULT_RETRIEVAL_SETTINGS, perSection: 5 });
    const ratio = all.chunks[1]!.score / all.chunks[0]!.score;
    expect((await withShare(ratio + 0.01)).sectionMate).toBeUndefined();
    expect((await withShare(0)).sectionMate).toBeUndefined();
    const single = await withShare(0.01, "picture mode movie dark rooms");
    expect(single.chunks[0]?.documentId).toBe("picture");
    expect(single.sectionMate).toBeUndefined();
  });
});
