import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { PIPELINE_VERSION } from "../../ingest/pipeline.js";
import { MemoryKeywordIndex } from "../../src/adapters/memory-keyword-index.js";
import type { Engine } from "../../src/container.js";
import type { KeywordDoc } from "../../src/ports/keyword-index.js";
import { queryTerms } from "../../src/text/analyzer.js";
import { runChild } from "./child-process.js";
import { latencyStats, round, type LatencyStats } from "./stats.js";

/** The in-memory keyword index beside the SQLite FTS5 path, on the same stored chunks and the same query terms. */
export interface KeywordIndexBenchResult {
  chunks: number;
  queries: number;
  /** Candidates asked for, as retrieval asks BM25 (max(40, 3 × RETRIEVAL_TOP_K)). */
  k: number;
  /** Keyword search alone per query (wall ms), both unfiltered over one collection. */
  latency: { memory: LatencyStats; fts: LatencyStats; memoryScoped: LatencyStats };
  /**
   * The same queries' process CPU time (ms): less sensitive than wall time to other processes on a shared machine
   * (both figures are reported; on an idle machine they agree).
   */
  cpu: { memory: LatencyStats; fts: LatencyStats };
  /** Share of FTS5's top 10 also in the in-memory top 10 (FTS5 re-scores only candidates of rare terms; ours is exact). */
  top10Agreement: number;
  buildSeconds: number;
  buildCpuSeconds: number;
  snapshot: { bytes: number; bytesPerChunk: number; saveMs: number };
  /** Fresh process: snapshot load and memory held after loading and answering the queries (median of 3). */
  cold: { loadMs: number; loadCpuMs: number; processReadyMs: number; rssAnonBytesPerChunk: number; heapAndBuffersBytesPerChunk: number } | { failure: string };
}

const BATCH = 5000;

/**
 * Runs against an engine holding an ingested corpus; `workDir` receives the snapshot and the query file. Keyword
 * docs are streamed from the store batch by batch (never all at once: at 1M chunks they would not fit beside the
 * engine), and the main index is released before the scoped variant is built.
 */
export async function benchKeywordIndex(engine: Engine, questions: readonly string[], workDir: string): Promise<KeywordIndexBenchResult> {
  const k = Math.max(40, engine.config.RETRIEVAL_TOP_K * 3);
  const terms = questions.map((q) => queryTerms(q));
  const file = join(workDir, "keyword.kwi");
  const pipeline = `pipeline-${PIPELINE_VERSION}`;
  // The index lives only inside mainIndex: released before the cold children and the scoped variant run.
  const measured = await mainIndex(engine, terms, k, { file, pipeline });
  const chunks = measured.chunks;
  const queriesFile = join(workDir, "keyword-queries.json");
  writeFileSync(queriesFile, JSON.stringify(terms.slice(0, 200)));
  const cold = await coldLoad(file, pipeline, queriesFile, k, chunks);
  const memoryScoped = await scopedLatency(engine, terms, k);
  return {
    chunks, queries: terms.length, k,
    latency: { ...measured.latency, memoryScoped },
    cpu: measured.cpu,
    top10Agreement: measured.top10Agreement,
    buildSeconds: round(measured.buildSeconds),
    buildCpuSeconds: round(measured.buildCpuSeconds),
    snapshot: measured.snapshot,
    cold,
  };
}

type MainResult = Pick<KeywordIndexBenchResult, "chunks" | "cpu" | "top10Agreement" | "buildSeconds" | "buildCpuSeconds" | "snapshot"> & {
  latency: Omit<KeywordIndexBenchResult["latency"], "memoryScoped">;
};

/**
 * Builds the index from the store (timing only the upserts), runs every query on it and on FTS5 alternately, and
 * saves its snapshot.
 */
async function mainIndex(engine: Engine, terms: readonly string[][], k: number, snap: { file: string; pipeline: string }): Promise<MainResult> {
  const index = new MemoryKeywordIndex();
  let wall = 0;
  let cpu = 0;
  await forEachDocBatch(engine, (docs) => {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    index.upsert(docs);
    cpu += cpuMs(c0, process.cpuUsage());
    wall += performance.now() - t0;
  });
  const mem: number[] = [];
  const fts: number[] = [];
  const memCpu: number[] = [];
  const ftsCpu: number[] = [];
  let agree = 0;
  let compared = 0;
  for (const t of terms.slice(0, 50)) { await index.search(t, k); await engine.keywords.search(t, k); }
  for (const t of terms) {
    const ca = process.cpuUsage();
    const a = performance.now();
    const ours = await index.search(t, k);
    const b = performance.now();
    const cb = process.cpuUsage();
    const theirs = await engine.keywords.search(t, k);
    mem.push(b - a);
    fts.push(performance.now() - b);
    memCpu.push(cpuMs(ca, cb));
    ftsCpu.push(cpuMs(cb, process.cpuUsage()));
    const top = new Set(ours.slice(0, 10).map((h) => h.chunkId));
    const ref = theirs.slice(0, 10).map((h) => h.chunkId);
    agree += ref.filter((id) => top.has(id)).length;
    compared += ref.length;
  }
  const s0 = performance.now();
  const bytes = await index.save(snap.file, snap.pipeline, 0);
  const saveMs = performance.now() - s0;
  return {
    chunks: index.size,
    snapshot: { bytes, bytesPerChunk: round(bytes / Math.max(1, index.size), 1), saveMs: round(saveMs) },
    latency: { memory: latencyStats(mem), fts: latencyStats(fts) },
    cpu: { memory: latencyStats(memCpu), fts: latencyStats(ftsCpu) },
    top10Agreement: round(agree / Math.max(1, compared), 4),
    buildSeconds: wall / 1000,
    buildCpuSeconds: cpu / 1000,
  };
}

function cpuMs(from: NodeJS.CpuUsage, to: NodeJS.CpuUsage): number {
  return (to.user - from.user + to.system - from.system) / 1000;
}

/**
 * The same chunks spread over four collections, queries scoped to one: collection-scoped statistics and the
 * collection filter at work (FTS5 has no scoped statistics to compare with).
 */
async function scopedLatency(engine: Engine, terms: readonly string[][], k: number): Promise<LatencyStats> {
  const index = new MemoryKeywordIndex();
  let n = 0;
  await forEachDocBatch(engine, (docs) => index.upsert(docs.map((d) => ({ ...d, collection: `c${n++ % 4}` }))));
  for (const t of terms.slice(0, 50)) await index.search(t, k, { collections: ["c1"] });
  const samples: number[] = [];
  for (const t of terms) {
    const a = performance.now();
    await index.search(t, k, { collections: ["c1"] });
    samples.push(performance.now() - a);
  }
  return latencyStats(samples);
}

/** Keyword docs of every stored chunk, batch by batch (the repository's `keywordDocs`, as the follower reads them). */
async function forEachDocBatch(engine: Engine, fn: (docs: KeywordDoc[]) => void): Promise<void> {
  const ids = await engine.store.allChunkIds();
  for (let i = 0; i < ids.length; i += BATCH) fn(await engine.store.keywordDocs(ids.slice(i, i + BATCH)));
}

interface ColdSample { chunks: number; loadMs: number; loadCpuMs: number; readyMs: number; rssAnonDelta: number; heapDelta: number; arrayBuffersDelta: number }

async function coldLoad(file: string, pipeline: string, queriesFile: string, k: number, chunks: number): Promise<KeywordIndexBenchResult["cold"]> {
  const samples: ColdSample[] = [];
  for (let i = 0; i < 3; i++) {
    const r = await runChild<ColdSample>("kwindex-load-child.ts", [file, pipeline, queriesFile, String(k)], { nodeArgs: ["--expose-gc"], timeoutMs: 120_000 });
    if (!r.ok || !r.value) return { failure: r.error ?? "no result" };
    samples.push(r.value);
  }
  const median = (f: (s: ColdSample) => number): number => samples.map(f).sort((a, b) => a - b)[1]!;
  return {
    loadMs: round(median((s) => s.loadMs)),
    loadCpuMs: round(median((s) => s.loadCpuMs)),
    processReadyMs: round(median((s) => s.readyMs)),
    rssAnonBytesPerChunk: round(median((s) => s.rssAnonDelta) / Math.max(1, chunks), 1),
    heapAndBuffersBytesPerChunk: round(median((s) => s.heapDelta + s.arrayBuffersDelta) / Math.max(1, chunks), 1),
  };
}

/** Lines for the terminal report. */
export function formatKeywordIndex(r: KeywordIndexBenchResult): string {
  const l = (s: LatencyStats): string => `p50 ${s.p50} / p95 ${s.p95} / p99 ${s.p99} ms`;
  const cold = "failure" in r.cold ? `cold load FAILED: ${r.cold.failure}`
    : `cold: snapshot load ${r.cold.loadMs} ms (CPU ${r.cold.loadCpuMs} ms; process ready ${r.cold.processReadyMs} ms), ${r.cold.rssAnonBytesPerChunk} B/chunk anon RSS, ${r.cold.heapAndBuffersBytesPerChunk} B/chunk heap+buffers`;
  return [
    `keyword index at ${r.chunks} chunks, ${r.queries} queries, k ${r.k}:`,
    `  in-memory   ${l(r.latency.memory)}`,
    `  SQLite FTS5 ${l(r.latency.fts)}`,
    `  in-memory, scoped to 1 of 4 collections ${l(r.latency.memoryScoped)}`,
    `  CPU time: in-memory ${l(r.cpu.memory)}; SQLite FTS5 ${l(r.cpu.fts)}`,
    `  top-10 agreement with FTS5 ${r.top10Agreement}; build ${r.buildSeconds} s (CPU ${r.buildCpuSeconds} s); snapshot ${r.snapshot.bytesPerChunk} B/chunk, saved in ${r.snapshot.saveMs} ms`,
    `  ${cold}`,
  ].join("\n");
}
