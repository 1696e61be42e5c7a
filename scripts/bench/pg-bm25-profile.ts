import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ingestIntoEngine } from "../../ingest/ingest-engine.js";
import { loadConfig } from "../../src/config.js";
import { createAnswering, openEngine } from "../../src/container.js";
import { timePgStatements } from "../../src/adapters/pg-statement-timing.js";
import { corpusFiles, writeCorpus } from "./corpus-files.js";
import { latencyStats } from "./stats.js";
import { SyntheticCorpus } from "./synthetic-corpus.js";
import { loadVocabulary } from "./vocabulary.js";

// Where a PostgreSQL store query's time goes (a profiling aid, not part of `npm run bench`):
//   npx tsx scripts/bench/pg-bm25-profile.ts --schema S [--chunks 10000] [--queries 200] [--mode bm25|hybrid|answer]
// Ingests the benchmark's synthetic corpus into schema S of DATABASE_URL (default the local server) when S holds no
// document yet (kept for later runs: drop it yourself), then runs the questions once as a warm-up and once measured,
// printing one JSON line: latency, process CPU time per query, and every SQL statement's count and wall time per
// query, by its first 70 characters. Two builds can be compared on equal data by giving each its own schema.
const { values } = parseArgs({ options: { schema: { type: "string" }, chunks: { type: "string" }, queries: { type: "string" }, mode: { type: "string" } } });
if (!values.schema) throw new Error("--schema is required");
const size = Number(values.chunks ?? 10000);
const count = Number(values.queries ?? 200);
const mode = values.mode ?? "bm25";
const config = loadConfig();
const url = config.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const work = mkdtempSync(join(tmpdir(), "pgbm25-"));
const corpus = new SyntheticCorpus({ seed: 42, vocabulary: loadVocabulary(join(process.cwd(), "corpora")).words });
const files = writeCorpus(corpus, join(work, "corpus"), [size], { maxTokens: config.CHUNK_MAX_TOKENS, overlapTokens: config.CHUNK_OVERLAP_TOKENS });
const documents = files.sizes[0]!.documents;
const engine = await openEngine({ ...config, LOG_LEVEL: "silent", DATA_DIR: join(work, "data"), DATABASE_URL: url, DATABASE_SCHEMA: values.schema, REDIS_URL: config.REDIS_URL ?? "redis://127.0.0.1:6379" });
try {
  if ((await engine.store.countDocuments()) === 0) await ingestIntoEngine(engine, corpusFiles(files.dir, documents));
  const answering = await createAnswering(engine);
  const topK = engine.config.RETRIEVAL_TOP_K;
  const run = (q: string): Promise<unknown> => mode === "answer" ? answering.answer({ question: q }) : answering.retrieve(q, { mode: mode === "hybrid" ? "hybrid" : "bm25", topK });
  const questions = corpus.questions(count, documents);
  for (const q of questions) await run(q);
  const timing = timePgStatements();
  const samples: number[] = [];
  const cpu0 = process.cpuUsage();
  for (const q of questions) {
    const t0 = performance.now();
    await run(q);
    samples.push(performance.now() - t0);
  }
  const cpu = process.cpuUsage(cpu0);
  timing.restore();
  const statements = Object.fromEntries([...timing.read()].sort((a, b) => b[1].ms - a[1].ms)
    .map(([k, v]) => [k, { perQuery: +(v.n / count).toFixed(2), msPerQuery: +(v.ms / count).toFixed(3) }]));
  process.stdout.write(`${JSON.stringify({ schema: values.schema, mode, chunks: size, documents, queries: count, latency: latencyStats(samples), cpuMsPerQuery: +((cpu.user + cpu.system) / 1000 / count).toFixed(3), statements })}\n`);
} finally {
  await engine.close({ saveIndex: false });
  rmSync(work, { recursive: true, force: true });
}
