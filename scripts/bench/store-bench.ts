import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { ingestIntoEngine } from "../../ingest/ingest-engine.js";
import type { Config } from "../../src/config.js";
import { createAnswering, openEngine, type Engine } from "../../src/container.js";
import { dropPgSchema } from "../../src/adapters/pg-schema.js";
import { spawnChild } from "./child-process.js";
import { corpusFiles, writeCorpus } from "./corpus-files.js";
import { gitCommit, machineInfo } from "./machine.js";
import { label } from "./report.js";
import { latencyStats, round, type LatencyStats } from "./stats.js";
import type { SyntheticCorpus } from "./synthetic-corpus.js";

/** One backend at one size. */
export interface StoreFigures {
  chunks: number;
  ingestChunksPerSecond: number;
  reingestSeconds: number;
  /** CLI/worker path: keyword search in the store (SQLite FTS5 / PostgreSQL BM25 in SQL). */
  storeRetrieval: Record<"hybrid" | "bm25", LatencyStats>;
  /** Serving path (`npm start`): in-memory keyword index + HNSW, passages hydrated from the store. */
  servingHybrid: LatencyStats;
  servingAnswer: LatencyStats;
  /** A new machine: a serving engine opened without snapshots, building both indexes from the store alone. */
  rebuildSeconds: number;
  /** Writer commit → a serving process on another DATA_DIR (PostgreSQL) or the same one (SQLite) finds the chunk. */
  propagation: LatencyStats;
  /** The machine's 1-minute load average when this backend's measurements began and ended (a shared machine). */
  loadAverage: { start: number; end: number };
}

export interface StoreBenchArgs { sizes: number[]; queries: number; propagation: number; json?: string; keep: boolean }

const BACKENDS = ["sqlite", "postgres"] as const;
/** The serving indexes' snapshot files in a DATA_DIR (HNSW file and manifest, keyword index). */
const SNAPSHOT_FILE = /^vectors[-.].*|^keywords\.kwi/;

/**
 * `npm run bench -- --store postgres [--sizes …]`: the store figures on SQLite and on PostgreSQL side by side in one
 * run (same corpus, same questions), with PostgreSQL / SQLite ratios, plus the propagation delay to a serving process.
 */
export async function storeBench(config: Config, corpus: SyntheticCorpus, args: StoreBenchArgs, root: string, log: (m: string) => void): Promise<number> {
  const workDir = mkdtempSync(join(tmpdir(), "groundline-storebench-"));
  const databaseUrl = config.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  try {
    const files = writeCorpus(corpus, join(workDir, "corpus"), args.sizes, { maxTokens: config.CHUNK_MAX_TOKENS, overlapTokens: config.CHUNK_OVERLAP_TOKENS });
    const results: Array<{ target: number; documents: number } & Record<(typeof BACKENDS)[number], StoreFigures> & { ratios: Record<string, number> }> = [];
    for (const plan of files.sizes) {
      const questions = corpus.questions(args.queries, plan.documents);
      const figures = {} as Record<(typeof BACKENDS)[number], StoreFigures>;
      for (const backend of BACKENDS) {
        const schema = `gl_bench_${process.pid}_${plan.target}`;
        const env: Record<string, string> = backend === "postgres"
          ? { DATABASE_URL: databaseUrl, DATABASE_SCHEMA: schema, REDIS_URL: config.REDIS_URL ?? "redis://127.0.0.1:6379" } : {};
        const dataDir = join(workDir, `${backend}-${plan.target}`);
        const { DATABASE_URL: _unset, ...base } = config;
        const cfg: Config = { ...base, LOG_LEVEL: "silent", DATA_DIR: dataDir, DATABASE_SCHEMA: schema, ...(env.DATABASE_URL ? { DATABASE_URL: env.DATABASE_URL } : {}) };
        log(`${label(plan.target)} ${backend}: ingesting ${plan.documents} documents`);
        try {
          figures[backend] = await measure(cfg, env, corpusFiles(files.dir, plan.documents), questions, args.propagation, workDir, log);
        } finally {
          if (backend === "postgres") await dropSchema(cfg);
        }
        log(`${label(plan.target)} ${backend}: ${summary(figures[backend])}`);
      }
      const ratios = ratiosOf(figures.postgres, figures.sqlite);
      process.stdout.write(`${formatSize(plan.target, figures, ratios)}\n`);
      results.push({ target: plan.target, documents: plan.documents, ...figures, ratios });
    }
    const date = new Date().toISOString();
    const out = args.json ?? join(root, "bench-results", `bench-store-${date.slice(0, 10)}.json`);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify({ date, commit: gitCommit(root), machine: machineInfo(), store: results }, null, 2)}\n`);
    log(`results written to ${out}`);
    return 0;
  } finally {
    if (args.keep) log(`kept ${workDir}`);
    else rmSync(workDir, { recursive: true, force: true });
  }
}

async function measure(cfg: Config, env: Record<string, string>, files: string[], questions: string[], probes: number, workDir: string, log: (m: string) => void): Promise<StoreFigures> {
  const loadStart = round(loadavg()[0]!);
  const engine = await openEngine(cfg);
  let ingest: Pick<StoreFigures, "chunks" | "ingestChunksPerSecond" | "reingestSeconds">;
  let storeRetrieval: StoreFigures["storeRetrieval"];
  let propagation: LatencyStats;
  try {
    const t0 = performance.now();
    const s = await ingestIntoEngine(engine, files);
    const t1 = performance.now();
    await ingestIntoEngine(engine, files);
    ingest = { chunks: s.chunks, ingestChunksPerSecond: round(s.chunks / ((t1 - t0) / 1000), 1), reingestSeconds: round((performance.now() - t1) / 1000) };
    log(`  ${s.chunks} chunks at ${ingest.ingestChunksPerSecond} chunks/s, re-ingest ${ingest.reingestSeconds} s; store retrieval`);
    storeRetrieval = { hybrid: await retrieval(engine, questions, "hybrid"), bm25: await retrieval(engine, questions, "bm25") };
    await engine.indexes.save();
    log(`  propagation: ${probes} writes, a serving process following`);
    propagation = await measurePropagation(engine, env, cfg, probes, workDir);
  } finally {
    await engine.close();
  }
  // A serving engine opened without any snapshot, so it builds both indexes from the store: on a DATA_DIR of its own
  // for PostgreSQL (a new machine), on the writer's for SQLite (the store lives there) with its snapshots removed.
  const servingDir = env.DATABASE_URL ? `${cfg.DATA_DIR}-serving` : cfg.DATA_DIR;
  if (!env.DATABASE_URL) for (const f of readdirSync(servingDir)) if (SNAPSHOT_FILE.test(f)) rmSync(join(servingDir, f), { force: true });
  log(`  store BM25 p50 ${storeRetrieval.bm25.p50} ms; serving start without snapshots`);
  const t = performance.now();
  const serving = await openEngine({ ...cfg, DATA_DIR: servingDir }, { servingKeywordIndex: true });
  const rebuildSeconds = round((performance.now() - t) / 1000);
  try {
    const answering = await createAnswering(serving);
    const servingHybrid = await retrieval(serving, questions, "hybrid");
    const servingAnswer = await timedEach(questions, (q) => answering.answer({ question: q }));
    return { ...ingest, storeRetrieval, servingHybrid, servingAnswer, rebuildSeconds, propagation, loadAverage: { start: loadStart, end: round(loadavg()[0]!) } };
  } finally {
    await serving.close({ saveIndex: false });
  }
}

async function retrieval(engine: Engine, questions: readonly string[], mode: "hybrid" | "bm25"): Promise<LatencyStats> {
  const answering = await createAnswering(engine);
  const topK = engine.config.RETRIEVAL_TOP_K;
  return timedEach(questions, (q) => answering.retrieve(q, { mode, topK }));
}

/** Latency of `fn` over `questions` after a warm-up on the first 20. */
async function timedEach(questions: readonly string[], fn: (q: string) => Promise<unknown>): Promise<LatencyStats> {
  for (const q of questions.slice(0, 20)) await fn(q);
  const samples: number[] = [];
  for (const q of questions) {
    const t0 = performance.now();
    await fn(q);
    samples.push(performance.now() - t0);
  }
  return latencyStats(samples);
}

/**
 * Commit → seen by a serving process (scripts/bench/follow-child.ts, compiled, its own process): `probes` small
 * documents, each with a word no other document has, written one at a time by this process's engine (as a worker
 * writes); the child reports when its in-memory index first finds each word. One clock (same machine).
 */
async function measurePropagation(engine: Engine, env: Record<string, string>, cfg: Config, probes: number, workDir: string): Promise<LatencyStats> {
  const prefix = `zqprop${Date.now().toString(36)}x`;
  const childDir = env.DATABASE_URL ? `${cfg.DATA_DIR}-follower` : cfg.DATA_DIR;
  const child = spawnChild("follow-child.ts", [prefix, String(probes)], { env: { ...env, DATA_DIR: childDir, LOG_LEVEL: "silent" } });
  const seen = new Map<number, number>();
  let ready: () => void = () => undefined;
  const isReady = new Promise<void>((resolve) => { ready = resolve; });
  const waiters = new Map<number, () => void>();
  createInterface({ input: child.stdout }).on("line", (line) => {
    const msg = JSON.parse(line) as { ready?: boolean; n?: number; at?: number };
    if (msg.ready) ready();
    if (msg.n !== undefined && msg.at !== undefined) { seen.set(msg.n, msg.at); waiters.get(msg.n)?.(); }
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await Promise.race([isReady, exited.then(() => { throw new Error("the follower exited before it was ready"); })]);
  const dir = join(workDir, `probes-${prefix}`);
  mkdirSync(dir, { recursive: true });
  const delays: number[] = [];
  const commits = commitTimes(engine);
  for (let n = 0; n < probes; n++) {
    const file = join(dir, `probe-${n}.md`);
    writeFileSync(file, `# Probe ${n}\n\nThe ${prefix}${n} probe checks how fast a write reaches another serving process.\n`);
    const arrived = new Promise<void>((resolve) => waiters.set(n, resolve));
    await ingestIntoEngine(engine, [file]);
    const committed = commits.last();
    await Promise.race([arrived, new Promise((r) => setTimeout(r, 15_000))]);
    const at = seen.get(n);
    if (at === undefined) throw new Error(`probe ${n} did not reach the serving process within 15 s`);
    delays.push(Math.max(0, at - committed));
    // Writes spread over the 1 s poll period (a fixed pause would phase-lock with the poll of the SQLite follower).
    await new Promise((r) => setTimeout(r, 50 + ((n * 389) % 1000)));
  }
  await exited;
  return latencyStats(delays);
}

/**
 * When the engine's last store write returned (its commit), by wrapping this engine's write methods (a measurement
 * hook): ingestIntoEngine resolves only after its own index update, later than a follower may see the write.
 */
function commitTimes(engine: Engine): { last(): number } {
  let at = 0;
  const store = engine.store;
  const many = store.replaceDocuments.bind(store);
  const one = store.replaceDocument.bind(store);
  store.replaceDocuments = async (writes) => { const r = await many(writes); at = Date.now(); return r; };
  store.replaceDocument = async (doc, chunks) => { const r = await one(doc, chunks); at = Date.now(); return r; };
  return { last: () => at };
}

async function dropSchema(cfg: Config): Promise<void> {
  if (cfg.DATABASE_URL) await dropPgSchema(cfg.DATABASE_URL, cfg.DATABASE_SCHEMA);
}

function ratiosOf(pg: StoreFigures, sqlite: StoreFigures): Record<string, number> {
  const r = (a: number, b: number): number => round(a / Math.max(1e-9, b), 2);
  return {
    ingestChunksPerSecond: r(pg.ingestChunksPerSecond, sqlite.ingestChunksPerSecond),
    reingestSeconds: r(pg.reingestSeconds, sqlite.reingestSeconds),
    storeHybridP50: r(pg.storeRetrieval.hybrid.p50, sqlite.storeRetrieval.hybrid.p50),
    storeBm25P50: r(pg.storeRetrieval.bm25.p50, sqlite.storeRetrieval.bm25.p50),
    storeBm25P95: r(pg.storeRetrieval.bm25.p95, sqlite.storeRetrieval.bm25.p95),
    servingHybridP50: r(pg.servingHybrid.p50, sqlite.servingHybrid.p50),
    servingHybridP95: r(pg.servingHybrid.p95, sqlite.servingHybrid.p95),
    servingAnswerP50: r(pg.servingAnswer.p50, sqlite.servingAnswer.p50),
    servingAnswerP95: r(pg.servingAnswer.p95, sqlite.servingAnswer.p95),
    rebuildSeconds: r(pg.rebuildSeconds, sqlite.rebuildSeconds),
    propagationP50: r(pg.propagation.p50, sqlite.propagation.p50),
  };
}

function summary(f: StoreFigures): string {
  return `${f.chunks} chunks at ${f.ingestChunksPerSecond} chunks/s, load ${f.loadAverage.start}→${f.loadAverage.end}, serving hybrid p50 ${f.servingHybrid.p50} ms, propagation p50 ${f.propagation.p50} ms p95 ${f.propagation.p95} ms`;
}

function formatSize(target: number, f: Record<(typeof BACKENDS)[number], StoreFigures>, ratios: Record<string, number>): string {
  const row = (name: string, s: string | number, p: string | number, ratio: number | undefined): string =>
    `  ${name.padEnd(38)} ${String(s).padStart(16)} ${String(p).padStart(16)} ${ratio === undefined ? "" : String(ratio).padStart(8)}`;
  const pp = (l: LatencyStats): string => `${l.p50} / ${l.p95}`;
  return [
    `store comparison at ${label(target)} (${f.sqlite.chunks} chunks; ratio = PostgreSQL / SQLite, same run)`,
    row("", "SQLite", "PostgreSQL", undefined) + "   ratio",
    row("ingest chunks/s", f.sqlite.ingestChunksPerSecond, f.postgres.ingestChunksPerSecond, ratios.ingestChunksPerSecond),
    row("re-ingest unchanged (s)", f.sqlite.reingestSeconds, f.postgres.reingestSeconds, ratios.reingestSeconds),
    row("store hybrid retrieval p50/p95 ms", pp(f.sqlite.storeRetrieval.hybrid), pp(f.postgres.storeRetrieval.hybrid), ratios.storeHybridP50),
    row("store BM25 p50/p95 ms", pp(f.sqlite.storeRetrieval.bm25), pp(f.postgres.storeRetrieval.bm25), ratios.storeBm25P50),
    row("serving hybrid retrieval p50/p95 ms", pp(f.sqlite.servingHybrid), pp(f.postgres.servingHybrid), ratios.servingHybridP50),
    row("serving /answer (in-process) p50/p95 ms", pp(f.sqlite.servingAnswer), pp(f.postgres.servingAnswer), ratios.servingAnswerP50),
    row("serving start, indexes from the store (s)", f.sqlite.rebuildSeconds, f.postgres.rebuildSeconds, ratios.rebuildSeconds),
    row("propagation to a serving process p50/p95 ms", pp(f.sqlite.propagation), pp(f.postgres.propagation), ratios.propagationP50),
  ].join("\n");
}
