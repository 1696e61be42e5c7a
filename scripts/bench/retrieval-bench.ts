import { createAnswering, type Engine } from "../../src/container.js";
import type { RetrievalMode } from "../../src/retrieval/retrieve.js";
import { latencyStats, round, type LatencyStats } from "./stats.js";

export interface ModeLatency extends LatencyStats {
  /** Mean time of each stage (hybrid and dense include embedding the query). */
  stages: { bm25Ms: number; embedMs: number; denseMs: number; restMs: number };
}

export interface RetrievalResult {
  queries: number;
  topK: number;
  modes: Record<RetrievalMode, ModeLatency>;
  /** Whole answers in-process (condense → hybrid retrieval → confidence → extractive composer → verification). */
  answer: LatencyStats;
}

const MODES: RetrievalMode[] = ["hybrid", "bm25", "dense"];

/** Per-query latency of each retrieval mode through the product path (`createAnswering().retrieve`). */
export async function benchRetrieval(engine: Engine, questions: readonly string[], warmup = 50): Promise<RetrievalResult> {
  const answering = await createAnswering(engine);
  const topK = engine.config.RETRIEVAL_TOP_K;
  const modes = {} as Record<RetrievalMode, ModeLatency>;
  for (const mode of MODES) {
    for (const q of questions.slice(0, warmup)) await answering.retrieve(q, { mode, topK });
    const samples: number[] = [];
    const sums = { bm25Ms: 0, embedMs: 0, denseMs: 0, restMs: 0 };
    for (const q of questions) {
      const t0 = performance.now();
      const r = await answering.retrieve(q, { mode, topK });
      samples.push(performance.now() - t0);
      sums.bm25Ms += r.timings.bm25Ms;
      sums.embedMs += r.timings.embedMs;
      sums.denseMs += r.timings.denseMs;
      sums.restMs += r.timings.totalMs - r.timings.bm25Ms - r.timings.embedMs - r.timings.denseMs;
    }
    const n = questions.length;
    modes[mode] = {
      ...latencyStats(samples),
      stages: { bm25Ms: round(sums.bm25Ms / n), embedMs: round(sums.embedMs / n), denseMs: round(sums.denseMs / n), restMs: round(sums.restMs / n) },
    };
  }
  for (const q of questions.slice(0, warmup)) await answering.answer({ question: q });
  const answerMs: number[] = [];
  for (const q of questions) {
    const t0 = performance.now();
    await answering.answer({ question: q });
    answerMs.push(performance.now() - t0);
  }
  return { queries: questions.length, topK, modes, answer: latencyStats(answerMs) };
}

export interface RecallResult {
  queries: number;
  k: number;
  /** The HNSW search ef used (the same the retrieval latency figures ran with). */
  ef: number;
  recall: number;
  /** Exact search cost per query, for scale. */
  bruteForceMs: number;
  /** Recall and HNSW search time at larger ef: what reaching the recall target would cost. */
  sweep: Array<{ ef: number; recall: number; searchMs: number }>;
}

/**
 * HNSW recall@k against exact search over every stored vector, with real question vectors. The index searches at
 * its configured ef (retrieval asks for max(candidates, 3·topK) = 40 neighbours, below the default ef of 64, so
 * the figures share one ef). hnswlib searches with ef = max(ef, k), so the top k of a search for `ef` neighbours is
 * exactly a top-k search at that ef: the sweep needs no index setting.
 */
export async function benchRecall(engine: Engine, questions: readonly string[], k = 10, sweepEfs = [128, 256, 512]): Promise<RecallResult> {
  const { labels, matrix } = await loadMatrix(engine);
  const dims = engine.embedder.dimensions;
  const index = engine.vectors();
  const ef = Math.max(engine.config.HNSW_EF_SEARCH, k);
  const efs = [ef, ...sweepEfs.filter((e) => e > ef)];
  const hits = new Array<number>(efs.length).fill(0);
  const searchMs = new Array<number>(efs.length).fill(0);
  let bruteMs = 0;
  for (const q of questions) {
    const qv = await engine.embedder.embedQuery(q);
    const t0 = performance.now();
    const exact = new Set(exactTopK(matrix, labels, dims, qv, k));
    bruteMs += performance.now() - t0;
    for (const [i, e] of efs.entries()) {
      const t = performance.now();
      const found = (await index.search(qv, e === ef ? k : e)).slice(0, k);
      searchMs[i]! += performance.now() - t;
      for (const h of found) if (exact.has(h.chunkId)) hits[i]! += 1;
    }
  }
  const n = Math.max(1, questions.length);
  const expected = n * Math.min(k, labels.length);
  const sweep = efs.map((e, i) => ({ ef: e, recall: round(hits[i]! / expected, 4), searchMs: round(searchMs[i]! / n) }));
  return { queries: questions.length, k, ef, recall: sweep[0]!.recall, bruteForceMs: round(bruteMs / n), sweep: sweep.slice(1) };
}

async function loadMatrix(engine: Engine): Promise<{ labels: string[]; matrix: Float32Array }> {
  const all = await engine.store.allChunkIds();
  const dims = engine.embedder.dimensions;
  const labels: string[] = [];
  const matrix = new Float32Array(all.length * dims);
  let row = 0;
  for (let i = 0; i < all.length; i += 5000) {
    for (const [label, vector] of await engine.store.getVectors(all.slice(i, i + 5000))) {
      labels.push(label);
      matrix.set(vector, row * dims);
      row++;
    }
  }
  return { labels, matrix: matrix.subarray(0, row * dims) };
}

/** Exact top-k chunk keys by dot product (vectors are L2-normalised, so this is cosine similarity). */
export function exactTopK(matrix: Float32Array, labels: readonly string[], dims: number, q: Float32Array, k: number): string[] {
  const best: Array<{ label: string; score: number }> = [];
  let floor = -Infinity;
  for (let row = 0; row < labels.length; row++) {
    const o = row * dims;
    let s = 0;
    for (let d = 0; d < dims; d++) s += q[d]! * matrix[o + d]!;
    if (best.length === k && s <= floor) continue;
    best.push({ label: labels[row]!, score: s });
    best.sort((a, b) => b.score - a.score);
    if (best.length > k) best.pop();
    if (best.length === k) floor = best[k - 1]!.score;
  }
  return best.map((b) => b.label);
}
