import { parseArgs } from "node:util";
import { openEngine } from "../src/container.js";
import { runCli, UsageError } from "../src/cli/run-cli.js";
import { ProgressLine } from "../src/cli/progress.js";
import { ingestPaths, type IngestSummary } from "./ingest-files.js";

/** Vectors indexed between two turns of the event loop while ingesting (~30 ms of HNSW inserts). */
const INDEX_SLICE = 32;

const USAGE = "usage: npm run ingest -- <files|dirs...> [--collection NAME] [--prune] [--json]";

/** `npm run ingest`: ingest files and directories into DATA_DIR with a live progress line on stderr. */
await runCli(async (config, argv) => {
  const { values, positionals } = parseCliArgs(argv);
  if (positionals.length === 0) throw new UsageError(USAGE);
  const engine = await openEngine(config);
  const progress = new ProgressLine();
  try {
    const summary = await ingestPaths({ store: engine.store, embedder: engine.embedder, redact: engine.redact }, positionals, {
      settings: engine.ingestSettings(values.collection),
      maxBytes: config.MAX_FILE_BYTES,
      prune: values.prune === true,
      onProgress: (p) => progress.update(p),
      workers: config.INGEST_WORKERS,
      redaction: { patterns: config.REDACT_PATTERNS },
      // Indexing as batches commit overlaps the HNSW inserts with the workers preparing the next files; in slices, so
      // the workers' questions (which documents changed) are answered in between and they never wait long.
      afterWrite: async () => {
        while ((await engine.vectors.catchUp(INDEX_SLICE)) > 0) await new Promise((resolve) => setImmediate(resolve));
      },
    });
    progress.done();
    if (summary.added + summary.updated + summary.pruned > 0) {
      await engine.vectors.catchUp();
    }
    print(summary, values.json === true);
    return summary.failed > 0 ? 1 : 0;
  } finally {
    await engine.close();
  }
});

function parseCliArgs(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: { collection: { type: "string" }, prune: { type: "boolean" }, json: { type: "boolean" } },
    });
  } catch (err) {
    throw new UsageError(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
  }
}

function print(s: IngestSummary, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(s)}\n`);
    return;
  }
  const lines = [
    `documents ${s.documents} (added ${s.added}, updated ${s.updated}, unchanged ${s.unchanged})`,
    `chunks ${s.chunks}, embedded ${s.embedded}, pages ${s.pages}, pruned ${s.pruned}, failed ${s.failed}`,
    ...s.errors.map((e) => `  failed: ${e.error}`),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}
