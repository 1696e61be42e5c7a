import { describe, expect, it } from "vitest";
import type { Chunk, ChunkTerms } from "../../src/domain/chunk.js";
import { DependencyUnavailableError } from "../../src/errors.js";
import { outageTolerantReads, type ServingReads } from "../../src/index/serving-reads.js";

const chunk = (id: string): Chunk => ({ id, documentId: "d", collection: "c", text: `text ${id}` } as unknown as Chunk);

function fakeStore(): ServingReads & { down: boolean; bug: boolean; calls: number } {
  const s = {
    down: false, bug: false, calls: 0,
    async getChunks(ids: readonly string[]) {
      s.calls++;
      if (s.bug) throw new Error("syntax error at or near SELECT");
      if (s.down) throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
      return ids.map(chunk);
    },
    async getChunkTerms() { return new Map<string, ChunkTerms>(); },
    async getVectors() { return new Map<string, Float32Array>(); },
  };
  return s;
}

describe("outage-tolerant serving reads", () => {
  it("answers remembered chunks while the store is unreachable, leaves out the others, and reports an outage for none", async () => {
    const store = fakeStore();
    let t = 0;
    const reads = outageTolerantReads(store, { maxEntries: 2, retryAfterMs: 1000, now: () => t });
    await reads.getChunks(["a", "b", "c"]);
    store.down = true;
    // "a" fell out of the two-entry LRU; "b" and "c" are served.
    expect((await reads.getChunks(["a", "b", "c"])).map((c) => c.id)).toEqual(["b", "c"]);
    const calls = store.calls;
    await expect(reads.getChunks(["x"])).rejects.toBeInstanceOf(DependencyUnavailableError);
    expect(store.calls).toBe(calls); // within retryAfterMs of the failure the store is not tried again
    t = 1500;
    store.down = false;
    expect((await reads.getChunks(["x"])).map((c) => c.id)).toEqual(["x"]);
  });

  it("does not hide errors that are not outages", async () => {
    const store = fakeStore();
    const reads = outageTolerantReads(store);
    await reads.getChunks(["a"]);
    store.bug = true;
    await expect(reads.getChunks(["a"])).rejects.toThrow(/syntax error/);
  });
});
