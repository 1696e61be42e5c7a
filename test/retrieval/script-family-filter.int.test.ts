// Retrieval keeps its sources to the question's script family only where the collection holds the other family too:
// elsewhere the filter would keep every chunk and still cost a filtered vector search.
import { afterEach, describe, expect, it } from "vitest";
import type { ChunkFilter } from "../../src/domain/chunk.js";
import type { LoadedDocument } from "../../src/domain/document.js";
import { retrieve, type RetrieverDeps } from "../../src/retrieval/retrieve.js";
import { openRetrievalFixture } from "../support/temp-engine.js";

const doc = (id: string, language: string, text: string): LoadedDocument => ({
  id, title: id, sourceType: "manual", format: "text/plain", language, sections: [{ path: ["Schedules"], text }],
});
const EN = doc("en", "en", "The crontab weekday field takes 0 to 7; both 0 and 7 mean Sunday.");
const ZH = doc("zh", "zh-CN", "crontab 的星期字段取值 0 到 7，0 和 7 都表示星期日。");

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** The filters the vector index was searched with, and the chunks retrieved, for `question` kept to the CJK family. */
async function searched(docs: LoadedDocument[], question: string): Promise<{ filters: Array<ChunkFilter | undefined>; documents: string[] }> {
  const { ctx, deps } = await openRetrievalFixture(docs);
  cleanups.push(ctx.cleanup);
  const filters: Array<ChunkFilter | undefined> = [];
  const spied: RetrieverDeps = {
    ...deps,
    vectors: () => {
      const index = deps.vectors();
      return Object.assign(Object.create(index) as typeof index, {
        search: (q: Float32Array, k: number, filter?: ChunkFilter) => (filters.push(filter), index.search(q, k, filter)),
      });
    },
  };
  const result = await retrieve(spied, question, { scriptFamily: "cjk" });
  return { filters, documents: result.chunks.map((c) => c.documentId) };
}

describe("the script family in the sources", () => {
  const question = "crontab 的星期字段是什么意思？";

  it("filters the vector search by family when the collection holds both families", async () => {
    const { filters, documents } = await searched([EN, ZH], question);
    expect(filters.map((f) => f?.scriptFamily)).toEqual(["cjk"]);
    expect(documents).toEqual(["zh"]);
  });

  it("does not filter when every chunk is of the question's family", async () => {
    const { filters, documents } = await searched([ZH], question);
    expect(filters.map((f) => f?.scriptFamily)).toEqual([undefined]);
    expect(documents).toEqual(["zh"]);
  });
});
