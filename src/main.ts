import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { openEngine } from "./container.js";
import { runCli } from "./cli/run-cli.js";
import { ingestPaths } from "../ingest/ingest-files.js";

/**
 * `npm start`: ingests the demo corpus in `corpora/` (idempotent: unchanged files are skipped) and reports what is
 * indexed. The HTTP service replaces this entry point once it exists.
 */
const corpora = join(dirname(fileURLToPath(import.meta.url)), "..", "corpora");

await runCli(async (config) => {
  const engine = await openEngine(config);
  try {
    const summary = await ingestPaths({ store: engine.store, embedder: engine.embedder }, [corpora], {
      settings: engine.ingestSettings(),
      maxBytes: config.MAX_FILE_BYTES,
    });
    await engine.vectors.catchUp();
    const docs = engine.store.listDocuments({ limit: 1_000_000 });
    const chunks = docs.reduce((s, d) => s + d.chunkCount, 0);
    process.stdout.write(
      `corpora: ${summary.added} added, ${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.failed} failed\n` +
        `indexed in ${engine.dataDir}: ${docs.length} documents, ${chunks} chunks, ${engine.vectors.vectors.size} vectors (${engine.embedder.id}, ${engine.embedder.dimensions}-d)\n`,
    );
    for (const e of summary.errors) process.stderr.write(`failed: ${e.error}\n`);
    return summary.failed > 0 ? 1 : 0;
  } finally {
    await engine.close();
  }
});
