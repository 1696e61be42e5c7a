import { openEngine } from "../src/container.js";
import { runCli } from "../src/cli/run-cli.js";
import { embeddingText } from "../ingest/pipeline.js";
import { ProgressLine } from "../src/cli/progress.js";

/**
 * `npm run reindex`: re-embeds every stored chunk with the configured embedder (after changing EMBEDDER or its
 * dimensions), records the new embedder in the store, and rebuilds the vector index. Text and BM25 stay as they are.
 */
await runCli(async (config) => {
  const engine = await openEngine(config, { allowEmbedderMismatch: true });
  const progress = new ProgressLine();
  try {
    const docs = await engine.store.listDocuments({ limit: 10_000_000 });
    let chunks = 0;
    for (const [i, doc] of docs.entries()) {
      const stored = await engine.store.getDocumentChunks(doc.collection, doc.id);
      const vectors = await engine.embedder.embedDocuments(stored.map(embeddingText));
      await engine.store.updateVectors(stored.map((c, j) => ({ chunkId: c.id, vector: vectors[j]! })));
      chunks += stored.length;
      progress.update({ files: i + 1, totalFiles: docs.length, pages: 0, chunks, errors: 0, currentFile: doc.id });
    }
    progress.done();
    await engine.store.setEmbedderStamp({ id: engine.embedder.id, dimensions: engine.embedder.dimensions });
    await engine.indexes.rebuild();
    await engine.indexes.save();
    process.stdout.write(`reindexed ${chunks} chunks of ${docs.length} documents with ${engine.embedder.id} (${engine.embedder.dimensions} dimensions)\n`);
  } finally {
    await engine.close();
  }
});
