import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { ingestIntoEngine } from "../../ingest/ingest-engine.js";
import type { Config } from "../../src/config.js";
import { createAnswering, openEngine, type Engine } from "../../src/container.js";
import { latencyStats, type LatencyStats } from "./stats.js";
import { corpusFiles, writeCorpus } from "./corpus-files.js";
import { benchKeywordIndex, formatKeywordIndex, type KeywordIndexBenchResult } from "./kwindex-bench.js";
import { gitCommit, machineInfo } from "./machine.js";
import { label } from "./report.js";
import type { SyntheticCorpus } from "./synthetic-corpus.js";

/**
 * `npm run bench -- --only kwindex [--sizes …] [--queries N]`: the keyword index comparison alone (corpus, ingest,
 * then the in-memory index beside SQLite FTS5 at each size), without the HTTP, reference and PDF sections.
 */
export async function keywordIndexOnly(
  config: Config, corpus: SyntheticCorpus, args: { sizes: number[]; queries: number; json?: string; keep: boolean }, root: string, log: (m: string) => void,
): Promise<number> {
  const workDir = mkdtempSync(join(tmpdir(), "groundline-kwbench-"));
  try {
    const files = writeCorpus(corpus, join(workDir, "corpus"), args.sizes, { maxTokens: config.CHUNK_MAX_TOKENS, overlapTokens: config.CHUNK_OVERLAP_TOKENS });
    const results: Array<KeywordIndexBenchResult & { hybrid: { fts: LatencyStats; inMemory: LatencyStats } }> = [];
    for (const plan of files.sizes) {
      const engine = await openEngine({ ...config, LOG_LEVEL: "silent", DATA_DIR: join(workDir, `data-${plan.target}`) });
      try {
        log(`${label(plan.target)}: ingesting ${plan.documents} documents`);
        await ingestIntoEngine(engine, corpusFiles(files.dir, plan.documents));
        const questions = corpus.questions(args.queries, plan.documents);
        const result = await benchKeywordIndex(engine, questions, workDir);
        process.stdout.write(`${formatKeywordIndex(result)}\n`);
        // Hybrid retrieval end to end, FTS5 engine vs a serving engine (in-memory keyword index) on the same DATA_DIR.
        const serving = await openEngine({ ...config, LOG_LEVEL: "silent", DATA_DIR: join(workDir, `data-${plan.target}`) }, { servingKeywordIndex: true });
        try {
          const hybrid = { fts: await hybridLatency(engine, questions), inMemory: await hybridLatency(serving, questions) };
          process.stdout.write(`  hybrid retrieval p50/p95/p99 ms: FTS5 ${hybrid.fts.p50}/${hybrid.fts.p95}/${hybrid.fts.p99}, in-memory keyword index ${hybrid.inMemory.p50}/${hybrid.inMemory.p95}/${hybrid.inMemory.p99}\n`);
          results.push({ ...result, hybrid });
        } finally {
          await serving.close({ saveIndex: false });
        }
      } finally {
        await engine.close();
      }
    }
    const date = new Date().toISOString();
    const out = args.json ?? join(root, "bench-results", `bench-kwindex-${date.slice(0, 10)}.json`);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify({ date, commit: gitCommit(root), machine: machineInfo(), keywordIndex: results }, null, 2)}\n`);
    log(`results written to ${out}`);
    return 0;
  } finally {
    if (args.keep) log(`kept ${workDir}`);
    else rmSync(workDir, { recursive: true, force: true });
  }
}

/** Hybrid retrieval latency through the product path (query embedding included), after 50 warm-up queries. */
async function hybridLatency(engine: Engine, questions: readonly string[]): Promise<LatencyStats> {
  const answering = await createAnswering(engine);
  const topK = engine.config.RETRIEVAL_TOP_K;
  for (const q of questions.slice(0, 50)) await answering.retrieve(q, { mode: "hybrid", topK });
  const samples: number[] = [];
  for (const q of questions) {
    const t0 = performance.now();
    await answering.retrieve(q, { mode: "hybrid", topK });
    samples.push(performance.now() - t0);
  }
  return latencyStats(samples);
}
