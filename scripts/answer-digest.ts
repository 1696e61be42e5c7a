import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { runCli, UsageError } from "../src/cli/run-cli.js";
import { createAnswering, openEngine, type Engine } from "../src/container.js";
import { readDataset } from "../src/eval/dataset.js";
import { ingestJsonlFiles } from "./lib/jsonl-ingest.js";

/**
 * `tsx scripts/answer-digest.ts --dataset DIR [--json]`: a SHA-256 digest of everything retrieval and answering
 * return for every question of a dataset (ranked chunk keys, fused scores, lexical evidence, answer text, citations,
 * confidence), through the FTS5 engine (as eval runs) and a serving engine (in-memory keyword index). Performance
 * work that must not change ranking compares the digests before and after: equal digests = bit-identical answers.
 */
await runCli(async (config, argv) => {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { dataset: { type: "string" }, limit: { type: "string" } } }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (!values.dataset) throw new UsageError("usage: tsx scripts/answer-digest.ts --dataset DIR [--limit N]");
  const dataset = readDataset(values.dataset);
  const questions = dataset.questions.slice(0, values.limit ? Number(values.limit) : undefined);
  const dataDir = mkdtempSync(join(tmpdir(), "groundline-digest-"));
  try {
    const fts = await openEngine({ ...config, LOG_LEVEL: "silent", DATA_DIR: dataDir });
    await ingestJsonlFiles(fts, [dataset.corpusFile]);
    await fts.close();
    for (const serving of [false, true]) {
      const engine = await openEngine({ ...config, LOG_LEVEL: "silent", DATA_DIR: dataDir }, { servingKeywordIndex: serving });
      try {
        process.stdout.write(`${serving ? "serving (in-memory BM25)" : "FTS5"}: ${await digest(engine, questions.map((q) => q.question))}\n`);
      } finally {
        await engine.close({ saveIndex: false });
      }
    }
    return 0;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

async function digest(engine: Engine, questions: readonly string[]): Promise<string> {
  const answering = await createAnswering(engine);
  const hash = createHash("sha256");
  for (const q of questions) {
    for (const mode of ["hybrid", "bm25", "dense"] as const) {
      const r = await answering.retrieve(q, { mode, topK: engine.config.RETRIEVAL_TOP_K });
      hash.update(JSON.stringify({ terms: r.terms, top: r.topSimilarity, ev: r.queryEvidence, chunks: r.chunks }));
    }
    const a = await answering.answer({ question: q });
    const { id: _id, timings: _t, ...stable } = a;
    hash.update(JSON.stringify(stable));
  }
  return hash.digest("hex");
}
