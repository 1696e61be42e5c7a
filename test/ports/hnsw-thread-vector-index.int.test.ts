import { ThreadedHnswIndex } from "../../src/adapters/hnsw-thread.js";
import { describeVectorIndex } from "./vector-index.conformance.js";

// The same conformance suite as the in-thread index: the index on its own thread must answer identically.
describeVectorIndex("HNSW on its own thread", async (dimensions) => {
  const index = ThreadedHnswIndex.create(dimensions);
  return {
    index,
    add: async (entries) => { index.add(entries); await index.settle(); },
    remove: async (ids) => { index.remove(ids); await index.settle(); },
    close: () => index.close(),
  };
});
