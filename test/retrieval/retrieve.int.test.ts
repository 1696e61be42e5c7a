import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LoadedDocument } from "../../src/domain/document.js";
import { retrieve, type RetrieverDeps } from "../../src/retrieval/retrieve.js";
import { confidenceFeatures, confidenceScore } from "../../src/retrieval/confidence.js";
import { storeIdf } from "../../src/container.js";
import { lexicalFeatures } from "../../src/retrieval/lexical-features.js";
import { analyze, queryTerms } from "../../src/text/analyzer.js";
import { chunkTerms } from "../../src/text/chunk-terms.js";
import { openRetrievalFixture, type openTestEngine } from "../support/temp-engine.js";

function doc(id: string, title: string, text: string): LoadedDocument {
  return { id, title, sourceType: "manual", format: "text/plain", sections: [{ path: [title], text }] };
}

const FILLER = "The hub keeps working while the app is closed, and the lights keep their last state after a power cut. ".repeat(12);

const DOCS = [
  doc("network", "Network", `${FILLER}To reset the network settings, open Settings, select Network and then Reset Network. ${FILLER}`),
  doc("picture", "Picture Mode", "Change the picture mode to Movie for dark rooms. The picture mode applies to every input."),
  doc("scatter", "Overview", `Reset options exist. ${FILLER} The network light blinks. ${FILLER} Settings are saved in the cloud.`),
  doc("remote", "Remote", "Pair the remote by holding Home for five seconds. 配对遥控器：按住主页键五秒。"),
];

let ctx: Awaited<ReturnType<typeof openTestEngine>>;
let deps: RetrieverDeps;

beforeAll(async () => {
  ({ ctx, deps } = await openRetrievalFixture(DOCS));
});
afterAll(async () => ctx.cleanup());

describe("retrieve", () => {
  it("ranks the section whose passage answers the question first, in every lexical mode", async () => {
    for (const mode of ["hybrid", "bm25"] as const) {
      const r = await retrieve(deps, "How do I reset the network settings?", { mode, topK: 3 });
      expect(r.chunks[0]?.documentId).toBe("network");
      expect(r.chunks[0]?.lexical?.coverage).toBe(1);
      expect(r.terms).not.toContain("how");
    }
  });

  it("re-ranks on the terms stored at ingest, which are exactly what the analyzer gives today", async () => {
    const chunks = (await Promise.all(DOCS.map((d) => ctx.engine.store.getDocumentChunks("default", d.id)))).flat();
    const stored = await ctx.engine.store.getChunkTerms(chunks.map((c) => c.id));
    for (const c of chunks) {
      expect(stored.get(c.id)).toMatchObject({ position: c.position, titleTokens: analyze([c.title, ...c.sectionPath].join(" ")), bodyTokens: analyze(c.text) });
      expect(stored.get(c.id)).toMatchObject(chunkTerms(c));
    }
    const terms = queryTerms("reset the network settings");
    const idf = new Map(terms.map((t) => [t, 1]));
    const candidates = chunks.map((c) => stored.get(c.id)!);
    const fromStore = lexicalFeatures(terms, candidates, idf, (c) => c);
    expect(fromStore).toEqual(lexicalFeatures(terms, chunks, idf, chunkTerms));
  });

  it("keeps one chunk per section and reports the evidence behind each rank", async () => {
    const r = await retrieve(deps, "network settings reset", { mode: "hybrid", topK: 10 });
    const keys = r.chunks.map((c) => `${c.documentId}/${c.sectionPath.join("/")}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(r.chunks[0]?.bm25Rank).toBeDefined();
    expect(r.chunks[0]?.similarity).toBeGreaterThan(0);
  });

  it("finds Chinese text by words and bigrams, and dense mode ranks by similarity alone", async () => {
    const zh = await retrieve(deps, "怎么配对遥控器？", { mode: "bm25", topK: 2 });
    expect(zh.chunks[0]?.documentId).toBe("remote");
    const dense = await retrieve(deps, "picture mode movie", { mode: "dense", topK: 3 });
    expect(dense.chunks[0]?.documentId).toBe("picture");
    expect(dense.chunks[0]?.lexical).toBeDefined();
  });

  it("is more confident for a covered question than for an off-topic one", async () => {
    const idf = storeIdf(ctx.engine.keywords);
    const features = async (q: string) => {
      const result = await retrieve(deps, q);
      return confidenceFeatures(result, await idf(result.terms));
    };
    const good = confidenceScore(await features("How do I change the picture mode?"));
    const bad = confidenceScore(await features("How do I mount an ext4 partition with fstab?"));
    expect(good).toBeGreaterThan(0.5);
    expect(bad).toBeLessThan(0.2);
  });

  it("weighs a product the documents never name twice when the question writes it as a name", async () => {
    // Every word but "Zorblax" is in the documents.
    const r = await retrieve(deps, "can the remote settings app reset the network for the Zorblax Home?", { mode: "hybrid", topK: 3 });
    const lower = await retrieve(deps, "can the remote settings app reset the network for the zorblax home?", { mode: "hybrid", topK: 3 });
    // Lower case, "zorblax" is one plain unseen word in a question of seven: not counted (`isLoneWord`).
    expect(lower.queryEvidence!.unseen).toBe(0);
    // Written as names, "Zorblax" (and "Home") weigh twice and count: about 0.27 of the question.
    expect(r.queryEvidence!.unseen).toBeGreaterThan(0.2);
  });

  it("takes a long filler typed with one slip for the filler, not for a word the documents never hold", async () => {
    const slip = await retrieve(deps, "is it posible to reset the network settings?", { mode: "hybrid", topK: 3 });
    expect(slip.terms).not.toContain("posibl");
    expect(slip.queryEvidence!.unseen).toBe(0);
    expect(slip.chunks[0]?.documentId).toBe("network");
  });

  it("counts a name the documents hold only word by word as apart, and one they write as seen", async () => {
    // "Home" (the remote's button) and "Network" are both in the documents, never side by side.
    const apart = await retrieve(deps, "can the Home Network app reset the picture?", { mode: "hybrid", topK: 3 });
    const together = await retrieve(deps, "can the Picture Mode app reset the network?", { mode: "hybrid", topK: 3 });
    expect(together.queryEvidence).toEqual({ unseen: 0, apart: 0 });
    expect(apart.queryEvidence!.apart).toBeGreaterThan(0.3);
  });
});
