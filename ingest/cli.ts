import { parseArgs } from "node:util";
import { openEngine } from "../src/container.js";
import { closeEngine, keepSnapshotLease, openProcessLeases, snapshotLeaseHolder, type ProcessLeases } from "../src/server/leases.js";
import { runCli, UsageError } from "../src/cli/run-cli.js";
import { ProgressLine } from "../src/cli/progress.js";
import type { IngestSummary } from "./ingest-files.js";
import { ingestIntoEngine } from "./ingest-engine.js";

const USAGE = "usage: npm run ingest -- <files|dirs...> [--collection NAME] [--prune] [--json]";

/** `npm run ingest`: ingest files and directories into DATA_DIR with a live progress line on stderr. */
await runCli(async (config, argv) => {
  const { values, positionals } = parseCliArgs(argv);
  if (positionals.length === 0) throw new UsageError(USAGE);
  // The graph builder while it holds the snapshot lease (writing snapshots serving processes load instead of each
  // inserting every vector); while a serving process holds it, this process follows that builder's snapshots.
  let leases: ProcessLeases | undefined;
  const engine = await openEngine(config, { buildsGraph: snapshotLeaseHolder(() => leases) });
  leases = openProcessLeases(engine.dataDir);
  const stopClaiming = keepSnapshotLease(leases);
  const progress = new ProgressLine();
  try {
    const summary = await ingestIntoEngine(engine, positionals, {
      collection: values.collection,
      prune: values.prune === true,
      onProgress: (p) => progress.update(p),
    });
    progress.done();
    print(summary, values.json === true);
    return summary.failed > 0 ? 1 : 0;
  } finally {
    stopClaiming();
    await closeEngine(engine, leases);
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
