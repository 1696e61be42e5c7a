// Child process of the footprint benchmark: measures process start → engine ready on an existing DATA_DIR, then the
// resident memory after answering a few questions. Modules are imported dynamically so import time is measured.
// Usage: cold-start-child.ts DATA_DIR [QUESTIONS_JSON]
import { readFileSync } from "node:fs";

const scriptStartMs = process.uptime() * 1000;
const [dataDir, questionsFile] = process.argv.slice(2);
if (!dataDir) throw new Error("usage: cold-start-child.ts DATA_DIR [QUESTIONS_JSON]");
const { loadConfig } = await import("../../src/config.js");
const { openEngine, createAnswering } = await import("../../src/container.js");
const { reportToParent } = await import("./child-process.js");
const importedMs = process.uptime() * 1000;
// As an API serving process opens it: HNSW and the in-memory keyword index, each from its snapshot.
const engine = await openEngine(loadConfig({ ...process.env, DATA_DIR: dataDir }), { servingKeywordIndex: true });
const readyMs = process.uptime() * 1000;
// CPU of every thread until ready (the HNSW thread and hnswlib's file read included): on a loaded machine the wall
// time above mostly measures the other processes, this does not.
const readyCpu = process.cpuUsage();
process.stdout.write("ready\n");
const rssReady = process.memoryUsage().rss;
const questions = questionsFile ? (JSON.parse(readFileSync(questionsFile, "utf8")) as string[]) : [];
const answering = await createAnswering(engine);
for (const q of questions) await answering.retrieve(q);
const usage = process.memoryUsage();
const mem = residentSplit();
reportToParent({
  rssAnon: mem?.anon ?? usage.rss,
  rssFile: mem?.file ?? 0,
  chunks: engine.vectors().size,
  scriptStartMs,
  importMs: importedMs - scriptStartMs,
  openMs: readyMs - importedMs,
  readyMs,
  readyCpuMs: (readyCpu.user + readyCpu.system) / 1000,
  rssReady,
  rssAfterQueries: usage.rss,
  heapUsed: usage.heapUsed,
  external: usage.external,
});
// Saves the serving snapshots when this run had to build them (the warm-up run), as a serving process does.
await engine.close();

/**
 * Anonymous vs file-backed resident memory (Linux): the store is memory-mapped, and mapped pages of the database
 * file are page cache the kernel can drop, not memory the process holds; anonymous memory is what it needs.
 */
function residentSplit(): { anon: number; file: number } | undefined {
  try {
    const status = readFileSync("/proc/self/status", "utf8");
    const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN) * 1024;
    const anon = kb("RssAnon");
    const file = kb("RssFile") + kb("RssShmem");
    return Number.isFinite(anon) ? { anon, file } : undefined;
  } catch {
    return undefined;
  }
}
