// Child process of the keyword index benchmark: a fresh process loads a keyword index snapshot (the serving
// processes' cold start of that index), then answers the queries, and reports load time and resident memory.
// Usage: kwindex-load-child.ts SNAPSHOT PIPELINE QUERIES_JSON K   (run with --expose-gc for settled heap figures)
import { readFileSync } from "node:fs";

const [file, pipeline, queriesFile, kArg] = process.argv.slice(2);
if (!file || !pipeline || !queriesFile) throw new Error("usage: kwindex-load-child.ts SNAPSHOT PIPELINE QUERIES_JSON K");
const { MemoryKeywordIndex } = await import("../../src/adapters/memory-keyword-index.js");
const { reportToParent } = await import("./child-process.js");
const queries = JSON.parse(readFileSync(queriesFile, "utf8")) as string[][];
const settle = (): void => (globalThis as { gc?: () => void }).gc?.();
settle();
const before = memory();
const t0 = performance.now();
const c0 = process.cpuUsage();
const loaded = await MemoryKeywordIndex.load(file, pipeline);
const loadMs = performance.now() - t0;
const c1 = process.cpuUsage(c0);
const loadCpuMs = (c1.user + c1.system) / 1000;
if (!("index" in loaded)) throw new Error(`snapshot rejected: ${loaded.reason}`);
const readyMs = process.uptime() * 1000;
for (const terms of queries) await loaded.index.search(terms, Number(kArg ?? 40));
settle();
const after = memory();
reportToParent({
  chunks: loaded.index.size, loadMs, loadCpuMs, readyMs,
  rssAnonDelta: after.anon - before.anon, heapDelta: after.heap - before.heap, arrayBuffersDelta: after.arrayBuffers - before.arrayBuffers,
});

function memory(): { anon: number; heap: number; arrayBuffers: number } {
  const usage = process.memoryUsage();
  let anon = usage.rss;
  try {
    const kb = /^RssAnon:\s+(\d+) kB/m.exec(readFileSync("/proc/self/status", "utf8"))?.[1];
    if (kb) anon = Number(kb) * 1024;
  } catch { /* not Linux: RSS */ }
  return { anon, heap: usage.heapUsed, arrayBuffers: usage.arrayBuffers };
}
