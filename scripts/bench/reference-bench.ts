import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { runChild } from "./child-process.js";
import { round, type LatencyStats } from "./stats.js";

/** LangChain's documented pipeline on the same corpus (see scripts/lib/langchain-reference.ts). */
export interface ReferenceResult {
  ok: boolean;
  /** Why and where it failed (e.g. the JSON docstore exceeding V8's string limit, or running out of heap). */
  failure?: string;
  failedPhase?: "build" | "save" | "load";
  chunks?: number;
  /** Reading the files + split + embed + HNSW inserts (what our ingest time covers). */
  ingestSeconds?: number;
  chunksPerSecond?: number;
  saveSeconds?: number;
  loadSeconds?: number;
  /** Process start → store loaded. */
  coldStartMs?: number;
  diskBytes?: number;
  diskBytesPerChunk?: number;
  rssMb?: number;
  /** (RSS after queries − RSS before loading) / chunks, minus the chunk text it holds in memory. */
  rssPerChunkBeyondTextBytes?: number;
  query?: LatencyStats;
}

interface BuildReport { phase: string; readSeconds: number; buildSeconds: number; saveSeconds?: number; chunks?: number; diskBytes?: number }
interface LoadReport { loadSeconds: number; readyMs: number; rssBeforeLoad: number; rssAfterQueries: number; query: LatencyStats }

/** Builds and saves in one child, loads and queries in another (so load time and memory are a cold process's). */
export async function benchReference(
  corpusDir: string, documents: number, corpusBytes: number, questionsFile: string, workDir: string,
): Promise<ReferenceResult> {
  const storeDir = join(workDir, `reference-${documents}`);
  mkdirSync(storeDir, { recursive: true });
  try {
    const built = await runChild<BuildReport>("reference-child.ts", ["build", corpusDir, String(documents), storeDir], { timeoutMs: 3_600_000 });
    if (!built.ok || !built.value) {
      const phase = built.partial?.["phase"] === "built" ? "save" : "build";
      return { ok: false, failedPhase: phase, failure: built.error ?? "no report", ...(phase === "save" ? { ingestSeconds: ingestOf(built.partial as unknown as BuildReport) } : {}) };
    }
    const b = built.value;
    const chunks = b.chunks ?? 0;
    const ingestSeconds = ingestOf(b);
    const loaded = await runChild<LoadReport>("reference-child.ts", ["load", storeDir, questionsFile], { timeoutMs: 1_800_000 });
    const common = {
      chunks, ingestSeconds: round(ingestSeconds), chunksPerSecond: round(chunks / ingestSeconds, 1), saveSeconds: round(b.saveSeconds ?? 0),
      diskBytes: b.diskBytes ?? 0, diskBytesPerChunk: round((b.diskBytes ?? 0) / Math.max(1, chunks), 1),
    };
    if (!loaded.ok || !loaded.value) return { ok: false, failedPhase: "load", failure: loaded.error ?? "no report", ...common };
    const l = loaded.value;
    // The reference keeps every chunk's text in its in-memory docstore; chunks overlap, so that is ~corpus × 1.25 (200 of every 1000 characters repeat).
    const textPerChunk = (corpusBytes * 1.25) / Math.max(1, chunks);
    return {
      ok: true,
      ...common,
      loadSeconds: round(l.loadSeconds),
      coldStartMs: round(l.readyMs, 1),
      rssMb: round(l.rssAfterQueries / 2 ** 20, 1),
      rssPerChunkBeyondTextBytes: round((l.rssAfterQueries - l.rssBeforeLoad) / Math.max(1, chunks) - textPerChunk, 1),
      query: l.query,
    };
  } finally {
    rmSync(storeDir, { recursive: true, force: true });
  }
}

function ingestOf(b: BuildReport | undefined): number {
  return b ? b.readSeconds + b.buildSeconds : 0;
}
