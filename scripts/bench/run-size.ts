import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "../../src/config.js";
import { openEngine, type Engine } from "../../src/container.js";
import { corpusFiles, type SizePlan } from "./corpus-files.js";
import { benchFootprint } from "./footprint.js";
import { benchHttp } from "./http-bench.js";
import { benchIngest } from "./ingest-bench.js";
import { benchKeywordIndex, formatKeywordIndex } from "./kwindex-bench.js";
import { benchRecall, benchRetrieval } from "./retrieval-bench.js";
import type { MutableVectorIndex, VectorIndex } from "../../src/ports/vector-index.js";
import { benchReference } from "./reference-bench.js";
import type { SizeResult } from "./report.js";
import { label } from "./report.js";
import { round } from "./stats.js";
import type { SyntheticCorpus } from "./synthetic-corpus.js";

export interface SizeRunOptions {
  queries: number;
  httpQuestions: number;
  httpSeconds: number;
  reference: boolean;
  http: boolean;
  /** Serving processes of the second /answer figure (node:cluster, as API_PROCESSES; beside the one-process figure); 1 = no second figure. */
  httpProcesses: number;
}

export interface SizeRun {
  config: Config;
  corpus: SyntheticCorpus;
  corpusDir: string;
  plan: SizePlan;
  workDir: string;
  /** An empty DATA_DIR: the footprint's baseline engine. */
  emptyDir: string;
  options: SizeRunOptions;
  log: (message: string) => void;
}

/** Every measurement at one size: ingest and retrieval in-process, then footprint, HTTP and the reference in children. */
export async function benchSize(run: SizeRun): Promise<SizeResult> {
  const { plan, options, log } = run;
  const name = label(plan.target);
  const dataDir = join(run.workDir, `data-${plan.target}`);
  const questions = run.corpus.questions(Math.max(options.queries, options.httpQuestions), plan.documents);
  const questionsFile = join(run.workDir, `questions-${plan.target}.json`);
  writeFileSync(questionsFile, JSON.stringify(questions));
  const warmFile = join(run.workDir, `questions-${plan.target}-warm.json`);
  writeFileSync(warmFile, JSON.stringify(questions.slice(0, 50)));

  const engine = await openEngine({ ...run.config, DATA_DIR: dataDir });
  let inProcess: Pick<SizeResult, "ingest" | "hnswInsert" | "retrieval" | "recall" | "keywordIndex">;
  try {
    const insert = timeInserts(engine);
    log(`${name}: ingesting ${plan.documents} documents`);
    const ingest = await benchIngest(engine, corpusFiles(run.corpusDir, plan.documents), log);
    const hnswInsert = insert.result(engine);
    log(`${name}: ${ingest.chunks} chunks at ${ingest.chunksPerSecond} chunks/s (HNSW ${hnswInsert.msPerVector} ms/vector${hnswInsert.onThread ? " handed to its thread" : ""}); retrieval on ${options.queries} queries`);
    const retrieval = await benchRetrieval(engine, questions.slice(0, options.queries));
    // Exact search costs ~0.1 s per query at 100k: 200 queries there keep the default sizes inside 15 minutes.
    const recall = await benchRecall(engine, questions.slice(0, Math.min(options.queries, plan.target >= 100_000 ? 200 : 500)));
    log(`${name}: hybrid p50 ${retrieval.modes.hybrid.p50} ms p95 ${retrieval.modes.hybrid.p95} ms, recall@10 ${recall.recall}`);
    const keywordIndex = await benchKeywordIndex(engine, questions.slice(0, options.queries), run.workDir);
    log(formatKeywordIndex(keywordIndex));
    inProcess = { ingest, hnswInsert, retrieval, recall, keywordIndex };
  } finally {
    await engine.close();
  }
  const footprint = await benchFootprint(dataDir, warmFile, run.emptyDir);
  log(`${name}: cold start ${footprint.coldStartMs} ms, ${footprint.rssPerChunkBytes} B/chunk RSS, ${footprint.diskBytesPerChunk} B/chunk disk`);
  const http = options.http ? await benchHttp(dataDir, questionsFile, options.httpQuestions, options.httpSeconds) : { pending: "skipped (--no-http)" };
  log(`${name}: http ${http.pending ?? `${http.requestsPerSecond} req/s p95 ${http.latency?.p95} ms`}`);
  const result: SizeResult = { target: plan.target, documents: plan.documents, corpusBytes: plan.bytes, ...inProcess, footprint, http };
  if (options.http && options.httpProcesses > 1) {
    // The same load against N serving processes on one port, right after the one-process run (side by side).
    result.httpProcesses = await benchHttp(dataDir, questionsFile, options.httpQuestions, options.httpSeconds, 8, options.httpProcesses);
    log(`${name}: http with ${options.httpProcesses} processes ${result.httpProcesses.requestsPerSecond} req/s p95 ${result.httpProcesses.latency?.p95} ms`);
  }
  if (options.reference) {
    log(`${name}: LangChain reference`);
    result.reference = await benchReference(run.corpusDir, plan.documents, plan.bytes, questionsFile, run.workDir);
    log(`${name}: reference ${result.reference.ok ? `ingest ${result.reference.ingestSeconds} s, load ${result.reference.loadSeconds} s` : `failed: ${result.reference.failure}`}`);
  }
  return result;
}

/**
 * Times the HNSW inserts made during the ingest by wrapping the live index's `add` (a measurement hook on this
 * engine only): the insert rate alone, inside the real end-to-end run, without building a second index. With the
 * index on its own thread (HNSW_THREAD, the default) `add` only hands vectors over: the figure is that hand-over on
 * the ingest thread, and `onThread` says so.
 */
function timeInserts(engine: Engine): { result: (engine: Engine) => SizeResult["hnswInsert"] } {
  const index = engine.vectors();
  if (!isMutable(index)) throw new Error("the engine's vector index takes no inserts in this process");
  const add = index.add.bind(index);
  let ms = 0;
  let vectors = 0;
  index.add = (items) => {
    const t0 = performance.now();
    add(items);
    ms += performance.now() - t0;
    vectors += items.length;
  };
  return {
    result: (e) => ({
      vectors,
      seconds: round(ms / 1000),
      vectorsPerSecond: round(vectors / Math.max(1e-9, ms / 1000), 1),
      msPerVector: round(ms / Math.max(1, vectors)),
      m: e.config.HNSW_M,
      efConstruction: e.config.HNSW_EF_CONSTRUCTION,
      onThread: e.config.HNSW_THREAD,
    }),
  };
}

function isMutable(index: VectorIndex): index is MutableVectorIndex {
  return typeof (index as Partial<MutableVectorIndex>).add === "function";
}
