import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { createHnswIndexFactory } from "../../src/adapters/hnsw-index.js";
import type { Config } from "../../src/config.js";
import { openEngine } from "../../src/container.js";
import { readDataset } from "../../src/eval/dataset.js";
import type { VectorEntry } from "../../src/ports/vector-index.js";
import { ingestJsonlFiles } from "../lib/jsonl-ingest.js";
import { exactTopK } from "./retrieval-bench.js";

/** Recall@k of one graph (degree M) at one search ef on one evaluation set. */
export interface EvalRecallRow {
  dataset: string;
  chunks: number;
  queries: number;
  m: number;
  ef: number;
  recall: number;
  searchMs: number;
}

export interface EvalRecallOptions {
  ms: readonly number[];
  efs: readonly number[];
  k: number;
}

/**
 * HNSW recall@k against exact search on evaluation sets' chunk vectors, with their questions' query vectors (the
 * unweighted vector the hybrid dense leg searches with), per graph degree M and search ef. Every corpus is ingested
 * as `npm run eval` ingests it; graphs are built with the configured efConstruction.
 */
export async function evalSetRecall(config: Config, dirs: readonly string[], options: EvalRecallOptions, onRow?: (r: EvalRecallRow) => void): Promise<EvalRecallRow[]> {
  const rows: EvalRecallRow[] = [];
  for (const dir of dirs) {
    const dataset = readDataset(dir);
    const dataDir = mkdtempSync(join(tmpdir(), "groundline-recall-"));
    try {
      const engine = await openEngine({ ...config, LOG_LEVEL: "silent", DATA_DIR: dataDir });
      try {
        await ingestJsonlFiles(engine, [dataset.corpusFile]);
        const entries = await engine.store.vectorEntries(await engine.store.allChunkIds());
        const queries = await Promise.all(dataset.questions.map((q) => engine.embedder.embedQuery(q.question)));
        for (const r of await measure(entries, queries, engine.embedder.dimensions, options, config.HNSW_EF_CONSTRUCTION)) {
          const row = { dataset: basename(dir), chunks: entries.length, queries: queries.length, ...r };
          rows.push(row);
          onRow?.(row);
        }
      } finally {
        await engine.close({ saveIndex: false });
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  return rows;
}

type Measured = Pick<EvalRecallRow, "m" | "ef" | "recall" | "searchMs">;

/** Recall@k and mean search time for every (M, ef); the same graph per M serves every ef. */
async function measure(entries: readonly VectorEntry[], queries: readonly Float32Array[], dims: number, o: EvalRecallOptions, efConstruction: number): Promise<Measured[]> {
  const labels = entries.map((e) => e.chunkId);
  const matrix = new Float32Array(entries.length * dims);
  entries.forEach((e, i) => matrix.set(e.vector, i * dims));
  const exact = queries.map((q) => new Set(exactTopK(matrix, labels, dims, q, o.k)));
  const expected = queries.length * Math.min(o.k, entries.length);
  const out: Measured[] = [];
  for (const m of o.ms) {
    const index = createHnswIndexFactory({ m, efConstruction, efSearch: 16 }).create(dims);
    index.add(entries);
    for (const ef of o.efs) {
      let hits = 0;
      const t0 = performance.now();
      for (const [i, q] of queries.entries()) {
        // hnswlib searches with ef = max(ef, k): asking for `ef` neighbours and keeping the first k is a top-k search at ef.
        const found = (await index.search(q, Math.max(ef, o.k))).slice(0, o.k);
        for (const h of found) if (exact[i]!.has(h.chunkId)) hits++;
      }
      const ms = (performance.now() - t0) / Math.max(1, queries.length);
      out.push({ m, ef, recall: Math.round((hits / Math.max(1, expected)) * 10000) / 10000, searchMs: Math.round(ms * 1000) / 1000 });
    }
  }
  return out;
}
