import { HnswIndex } from "../../src/adapters/hnsw-index.js";
import { describeVectorIndex } from "./vector-index.conformance.js";

describeVectorIndex("HNSW (hnswlib)", async (dimensions) => {
  const index = HnswIndex.create(dimensions);
  return { index, add: async (entries) => index.add(entries), remove: async (ids) => index.remove(ids), close: async () => undefined };
});
