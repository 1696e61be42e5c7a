import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { loadConfig } from "../../src/config.js";
import { openEngine } from "../../src/container.js";
import { closeEngine, keepSnapshotLease, openProcessLeases, snapshotLeaseHolder, type ProcessLeases } from "../../src/server/leases.js";
import { ingestIntoEngine } from "../../ingest/ingest-engine.js";
import { spawnChild } from "./child-process.js";
import { corpusFiles, writeCorpus } from "./corpus-files.js";
import { round } from "./stats.js";
import { SyntheticCorpus } from "./synthetic-corpus.js";
import { loadVocabulary } from "./vocabulary.js";

/**
 * `npx tsx scripts/bench/ingest-only.ts --size 20000 [--followers 2] [--corpus DIR]`: the ingest alone, as `npm run
 * ingest` runs it, on the bench's synthetic corpus, with `--followers` serving processes (ingest-follow-child.ts)
 * following the change log on the same DATA_DIR. Prints one JSON line: chunks/s until the ingest returned (searchable
 * here) and until searchable in every follower, the CPU seconds of this process and of the followers, and the
 * followers' event-loop delay (p99, max) while they followed. The config
 * comes from the environment (HNSW_THREAD, HNSW_EF_CONSTRUCTION, INGEST_WORKERS), so configurations are compared by
 * alternating runs side by side.
 */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const { values } = parseArgs({ options: { size: { type: "string" }, followers: { type: "string" }, corpus: { type: "string" } } });
const size = Number(values.size ?? 20000);
const followers = Number(values.followers ?? 0);
const corpusDir = values.corpus ?? join(tmpdir(), `groundline-ingest-corpus-${size}`);
const config = { ...loadConfig(process.env), LOG_LEVEL: "silent" as const };
const corpus = new SyntheticCorpus({ seed: 42, vocabulary: loadVocabulary(join(ROOT, "corpora")).words });
const plan = writeCorpus(corpus, corpusDir, [size], { maxTokens: config.CHUNK_MAX_TOKENS, overlapTokens: config.CHUNK_OVERLAP_TOKENS }).sizes[0]!;
const dataDir = mkdtempSync(join(tmpdir(), "groundline-ingest-data-"));
// As `npm run ingest` does: the graph builder while it holds the snapshot lease (taken before the followers start).
let leases: ProcessLeases | undefined;
const engine = await openEngine({ ...config, DATA_DIR: dataDir }, { buildsGraph: snapshotLeaseHolder(() => leases) });
leases = openProcessLeases(engine.dataDir);
const stopClaiming = keepSnapshotLease(leases);
snapshotLeaseHolder(() => leases)();
const children = await Promise.all(Array.from({ length: followers }, () => startFollower(dataDir)));
try {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const summary = await ingestIntoEngine(engine, corpusFiles(corpusDir, plan.documents));
  const ingestSeconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const last = await engine.changes.lastSeq();
  await Promise.all(children.map((c) => c.reached(last)));
  const everywhereSeconds = (performance.now() - t0) / 1000;
  process.stdout.write(`${JSON.stringify({
    hnswThread: config.HNSW_THREAD, efConstruction: config.HNSW_EF_CONSTRUCTION, workers: config.INGEST_WORKERS, followers,
    chunks: summary.chunks, ingestSeconds: round(ingestSeconds), chunksPerSecond: round(summary.chunks / ingestSeconds, 1),
    searchableEverywhereSeconds: round(everywhereSeconds), chunksPerSecondEverywhere: round(summary.chunks / everywhereSeconds, 1),
    ingestCpuSeconds: round((cpu.user + cpu.system) / 1e6), followerCpuSeconds: children.map((c) => round(c.cpuSeconds())),
    followerEventLoopDelay: children.map((c) => c.delay()),
  })}\n`);
} finally {
  for (const c of children) c.stop();
  stopClaiming();
  await closeEngine(engine, leases);
  rmSync(dataDir, { recursive: true, force: true });
}

/** A serving process following the log; `reached(seq)` resolves once it reported that position searchable. */
async function startFollower(dir: string) {
  const child = spawnChild("ingest-follow-child.ts", [], { env: { DATA_DIR: dir, LOG_LEVEL: "silent" } });
  let position = -1;
  let delay = { p99Ms: 0, maxMs: 0 };
  const waiting: Array<{ seq: number; resolve: () => void }> = [];
  let buffer = "";
  const ready = new Promise<void>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`follower exited (${code})`)));
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      buffer += d;
      const lines = buffer.split("\n");
      buffer = lines.pop() ?? "";
      for (const line of lines) {
        const msg = JSON.parse(line) as { ready?: boolean; position?: number; delayP99Ms?: number; delayMaxMs?: number };
        if (msg.ready) resolve();
        if (msg.position !== undefined) position = msg.position;
        if (msg.delayP99Ms !== undefined) delay = { p99Ms: msg.delayP99Ms, maxMs: msg.delayMaxMs ?? 0 };
      }
      for (const w of waiting.splice(0)) (position >= w.seq ? w.resolve() : waiting.push(w));
    });
  });
  await ready;
  const cpuTicks = (): number => {
    const stat = `/proc/${child.pid}/stat`;
    if (!existsSync(stat)) return 0;
    const fields = readFileSync(stat, "utf8").split(") ")[1]!.split(" ");
    return Number(fields[11]) + Number(fields[12]);
  };
  const start = cpuTicks();
  return {
    reached: (seq: number) => (position >= seq ? Promise.resolve() : new Promise<void>((resolve) => waiting.push({ seq, resolve }))),
    cpuSeconds: () => (cpuTicks() - start) / 100,
    /** The follower's event-loop delay while following (what a request arriving then would have waited). */
    delay: () => delay,
    stop: () => child.kill("SIGTERM"),
  };
}
