import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { runChild } from "./child-process.js";
import { round } from "./stats.js";

/** What `cold-start-child.ts` reports. */
export interface ColdStartSample {
  chunks: number;
  scriptStartMs: number;
  importMs: number;
  openMs: number;
  /** process.uptime() when the engine was ready: node boot + imports of the compiled code + openEngine. */
  readyMs: number;
  /** CPU time of all the process's threads until ready (less sensitive to the machine's load than `readyMs`). */
  readyCpuMs: number;
  rssReady: number;
  rssAfterQueries: number;
  /** Anonymous resident memory after the queries (Linux; equals RSS elsewhere). */
  rssAnon: number;
  /** File-backed resident memory (memory-mapped store pages, shared libraries). */
  rssFile: number;
}

export interface FootprintResult {
  chunks: number;
  diskBytes: number;
  diskBytesPerChunk: number;
  /**
   * Anonymous resident memory after answering a few questions, minus an engine on an empty DATA_DIR, per chunk. The
   * process keeps no chunk text in memory, so this is all "beyond the text".
   */
  rssPerChunkBytes: number;
  /** Same with file-backed pages (the memory-mapped database) included. */
  rssTotalPerChunkBytes: number;
  rssMb: number;
  rssFileMb: number;
  /** Process start → engine ready (median of the runs). */
  coldStartMs: number;
  /** openEngine alone (median): SQLite open + HNSW load + change-log catch-up. */
  openMs: number;
  /** Node boot + module imports of the compiled code (median). */
  bootMs: number;
  /** CPU time until ready, all threads (median). */
  coldStartCpuMs: number;
  runs: number;
}

/** Bytes of every file directly in `dir` (the store, its WAL and the vector index files). */
export function dirBytes(dir: string): number {
  return readdirSync(dir).reduce((s, name) => {
    const st = statSync(join(dir, name));
    return s + (st.isFile() ? st.size : 0);
  }, 0);
}

/** One cold start of the engine on `dataDir` in a fresh process. */
export async function coldStart(dataDir: string, questionsFile?: string): Promise<ColdStartSample> {
  const r = await runChild<ColdStartSample>("cold-start-child.ts", questionsFile ? [dataDir, questionsFile] : [dataDir], { timeoutMs: 300_000 });
  if (!r.ok || !r.value) throw new Error(`cold start on ${dataDir} failed: ${r.error}`);
  return r.value;
}

/**
 * Disk, memory and cold start of a closed DATA_DIR, against a baseline process on the empty DATA_DIR `emptyDir` that
 * answers the same questions: answering loads code and grows the heap by ~16 MB whatever the corpus, which a
 * baseline without questions counted as memory per chunk (~160 B per chunk at 100k).
 */
export async function benchFootprint(dataDir: string, questionsFile: string, emptyDir: string, runs = 3): Promise<FootprintResult> {
  const baseline = await coldStart(emptyDir, questionsFile);
  // A warm-up start writes the serving processes' snapshots (the cluster's preparer does this before serving starts).
  await coldStart(dataDir);
  const samples: ColdStartSample[] = [];
  for (let i = 0; i < runs; i++) samples.push(await coldStart(dataDir, questionsFile));
  const median = (f: (s: ColdStartSample) => number): number => samples.map(f).sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
  const chunks = samples[0]!.chunks;
  const disk = dirBytes(dataDir);
  const rss = median((s) => s.rssAfterQueries);
  const anon = median((s) => s.rssAnon);
  return {
    chunks,
    diskBytes: disk,
    diskBytesPerChunk: round(disk / Math.max(1, chunks), 1),
    rssPerChunkBytes: round((anon - baseline.rssAnon) / Math.max(1, chunks), 1),
    rssTotalPerChunkBytes: round((rss - baseline.rssAfterQueries) / Math.max(1, chunks), 1),
    rssMb: round(rss / 2 ** 20, 1),
    rssFileMb: round(median((s) => s.rssFile) / 2 ** 20, 1),
    coldStartMs: round(median((s) => s.readyMs), 1),
    openMs: round(median((s) => s.openMs), 1),
    bootMs: round(median((s) => s.scriptStartMs + s.importMs), 1),
    coldStartCpuMs: round(median((s) => s.readyCpuMs), 1),
    runs,
  };
}
