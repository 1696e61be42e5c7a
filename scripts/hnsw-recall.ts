import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import { createHnswIndexFactory } from "../src/adapters/hnsw-index.js";
import { runCli, UsageError } from "../src/cli/run-cli.js";
import { openEngine } from "../src/container.js";
import { readDataset } from "../src/eval/dataset.js";
import type { VectorEntry } from "../src/ports/vector-index.js";
import { ingestJsonlFiles } from "./lib/jsonl-ingest.js";
import { exactTopK } from "./bench/retrieval-bench.js";

const USAGE = "usage: npm run hnsw-recall -- --dataset DIR [--dataset DIR…] [--m 8,16,32] [--ef 16,32,64,128,256] [--k 10] [--json FILE]";

/**
 * `npm run hnsw-recall`: HNSW recall@k against exact search on evaluation sets' chunk vectors, with their questions'
 * query vectors (the unweighted vector the hybrid dense leg searches with), for each graph degree M and search ef.
 * Every dataset's corpus is ingested as `npm run eval` ingests it; the graph is built with the configured
 * efConstruction. This is the measurement the default HNSW_M / HNSW_EF_SEARCH are chosen from (README, Benchmarks).
 */
await runCli(async (config, argv) => {
  const args = parse(argv);
  const rows: Array<{ dataset: string; chunks: number; queries: number; m: number; ef: number; recall: number; searchMs: number }> = [];
  for (const dir of args.datasets) {
    const dataset = readDataset(dir);
    const dataDir = mkdtempSync(join(tmpdir(), "groundline-recall-"));
    try {
      const engine = await openEngine({ ...config, LOG_LEVEL: "silent", DATA_DIR: dataDir });
      try {
        await ingestJsonlFiles(engine, [dataset.corpusFile]);
        const entries = await engine.store.vectorEntries(await engine.store.allChunkIds());
        const queries = await Promise.all(dataset.questions.map((q) => engine.embedder.embedQuery(q.question)));
        for (const r of await measure(entries, queries, engine.embedder.dimensions, args, config.HNSW_EF_CONSTRUCTION)) {
          rows.push({ dataset: basename(dir), chunks: entries.length, queries: queries.length, ...r });
          process.stdout.write(`${basename(dir)} (${entries.length} chunks, ${queries.length} questions) M ${r.m} ef ${r.ef}: recall@${args.k} ${r.recall} (${r.searchMs} ms/query)\n`);
        }
      } finally {
        await engine.close({ saveIndex: false });
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  if (args.json) writeFileSync(args.json, `${JSON.stringify({ k: args.k, efConstruction: config.HNSW_EF_CONSTRUCTION, rows }, null, 2)}\n`);
  return 0;
});

interface Args { datasets: string[]; ms: number[]; efs: number[]; k: number; json?: string }

/** Recall@k and mean search time for every (M, ef); the same graph per M serves every ef. */
async function measure(entries: readonly VectorEntry[], queries: readonly Float32Array[], dims: number, args: Args, efConstruction: number): Promise<Array<{ m: number; ef: number; recall: number; searchMs: number }>> {
  const labels = entries.map((e) => e.chunkId);
  const matrix = new Float32Array(entries.length * dims);
  entries.forEach((e, i) => matrix.set(e.vector, i * dims));
  const exact = queries.map((q) => new Set(exactTopK(matrix, labels, dims, q, args.k)));
  const expected = queries.length * Math.min(args.k, entries.length);
  const out: Array<{ m: number; ef: number; recall: number; searchMs: number }> = [];
  for (const m of args.ms) {
    const index = createHnswIndexFactory({ m, efConstruction, efSearch: 16 }).create(dims);
    index.add(entries);
    for (const ef of args.efs) {
      let hits = 0;
      const t0 = performance.now();
      // hnswlib searches with ef = max(ef, k): asking for `ef` neighbours and keeping the first k is a top-k search at ef.
      for (const [i, q] of queries.entries()) {
        const found = (await index.search(q, Math.max(ef, args.k))).slice(0, args.k);
        for (const h of found) if (exact[i]!.has(h.chunkId)) hits++;
      }
      out.push({ m, ef, recall: Math.round((hits / Math.max(1, expected)) * 10000) / 10000, searchMs: Math.round(((performance.now() - t0) / Math.max(1, queries.length)) * 1000) / 1000 });
    }
  }
  return out;
}

function parse(argv: string[]): Args {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { dataset: { type: "string", multiple: true }, m: { type: "string" }, ef: { type: "string" }, k: { type: "string" }, json: { type: "string" } } }));
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${USAGE}`);
  }
  const list = (s: string | undefined, fallback: string): number[] => (s ?? fallback).split(",").map(Number);
  const ms = list(values.m, "8,16,32");
  const efs = list(values.ef, "16,32,64,128,256");
  const k = Number(values.k ?? 10);
  if (!values.dataset?.length || [...ms, ...efs, k].some((n) => !Number.isInteger(n) || n < 1)) throw new UsageError(USAGE);
  return { datasets: values.dataset, ms, efs, k, ...(values.json ? { json: values.json } : {}) };
}
