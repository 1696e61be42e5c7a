import type { ChunkFilter } from "../domain/chunk.js";
import { compareHits, type VectorHit, type VectorIndex } from "../ports/vector-index.js";
import type { FlatVectorBuffer } from "./flat-vectors.js";

/**
 * A loaded HNSW graph and the flat buffer of vectors logged after it, searched as one index: the graph's top k
 * (approximate, as always) merged with the buffer's exact top k. The graph never holds a buffered chunk's older
 * vector (the follower removes it from the graph when the newer one arrives), so each chunk is scored once; while a
 * newer graph is being swapped in, a chunk briefly in both is reported once, with the buffer's score.
 */
export function layeredVectors(graph: () => VectorIndex, buffer: FlatVectorBuffer): VectorIndex {
  return {
    get dimensions() {
      return buffer.dimensions;
    },
    get size() {
      const g = graph();
      let extra = 0;
      for (const chunkId of buffer.keys()) if (!g.has(chunkId)) extra++;
      return g.size + extra;
    },
    has: (chunkId) => buffer.has(chunkId) || graph().has(chunkId),
    async search(query: Float32Array, k: number, filter?: ChunkFilter): Promise<VectorHit[]> {
      // The buffer is searched first, synchronously: the graph search below then reflects at least as much of the log.
      const flat = buffer.search(query, k, filter);
      const fromGraph = await graph().search(query, k, filter);
      if (flat.length === 0) return fromGraph;
      const seen = new Set(flat.map((h) => h.chunkId));
      return [...flat, ...fromGraph.filter((h) => !seen.has(h.chunkId))].sort(compareHits).slice(0, Math.floor(k));
    },
  };
}
