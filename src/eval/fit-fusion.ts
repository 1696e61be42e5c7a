import { fuseNormalized } from "../retrieval/fuse.js";
import type { FusionWeights } from "../retrieval/retrieve.js";

/**
 * Fitting the fusion weights of hybrid retrieval (`npm run fit`). Each question's candidate pool is retrieved once
 * with the serving pool size, its evidence features kept; a weight set is then judged by re-fusing the pools in
 * memory (the fusion re-ranker's own arithmetic, `fuseNormalized`), so a search over many weight sets costs no
 * retrieval.
 */

/** The weights the search moves, with the values it tries (the built-in value is always one). */
export const FUSION_GRID: Readonly<Record<keyof FusionWeights, readonly number[]>> = {
  passage: [0.5, 1, 1.5],
  section: [0.4, 0.8, 1.2],
  coverage: [0.35, 0.7, 1],
  proximity: [0.3, 0.6, 0.9],
  lead: [0, 0.3, 0.6],
  questionHeading: [0, 0.2, 0.4, 0.8],
  topicHeading: [0, 0.2, 0.4, 0.8],
  dense: [0.2, 0.4, 0.6, 0.8],
  denseRank: [0, 0.15, 0.3, 0.45],
};

/** One pooled candidate: its features (as the fusion re-ranker sees them) and how much it answers the question. */
export interface PooledCandidate {
  features: Readonly<Record<keyof FusionWeights, number>>;
  bm25Rank?: number;
  /** Position in the retrieved pool (the last tie-break, as retrieval's order). */
  label: number;
  /**
   * In [0, 1]: for JSONL datasets 1 when the candidate is from a gold document; for datasets of files the mean of
   * "holds every key group" and "is on a gold page" (the decisive passage, on the page a citation must name).
   */
  gain: number;
}

/** The candidate pools of one dataset's answerable questions. */
export type RankingPools = ReadonlyArray<readonly PooledCandidate[]>;

/** The gain of the candidate each question ranks first with `weights`, averaged over the questions. */
export function topGain(pools: RankingPools, weights: FusionWeights): number {
  if (pools.length === 0) return 0;
  let sum = 0;
  for (const pool of pools) {
    if (pool.length === 0) continue;
    const scores = fuseNormalized(pool.map((c) => c.features), weights);
    let best = 0;
    for (let i = 1; i < pool.length; i++) if (ahead(pool[i]!, scores[i]!, pool[best]!, scores[best]!)) best = i;
    sum += pool[best]!.gain;
  }
  return sum / pools.length;
}

/** The re-ranker's order: higher score, then better BM25 rank, then lower label. */
function ahead(a: PooledCandidate, sa: number, b: PooledCandidate, sb: number): boolean {
  if (sa !== sb) return sa > sb;
  const ra = a.bm25Rank ?? Infinity;
  const rb = b.bm25Rank ?? Infinity;
  return ra !== rb ? ra < rb : a.label < b.label;
}

/** Largest drop below the built-in weights' figure that any one dataset may take. */
export const MAX_DROP = 0.005;

/**
 * Each dataset's top-1 gain relative to the built-in weights' on that dataset, averaged (the composer's objective,
 * so no dataset dominates); a weight set that costs any dataset more than {@link MAX_DROP} is out, so a gain on one
 * kind of document is never bought with a loss on another.
 */
export function fusionObjective(gain: Readonly<Record<string, number>>, baseline: Readonly<Record<string, number>>): number {
  const names = Object.keys(baseline);
  if (names.some((n) => (gain[n] ?? 0) < baseline[n]! - MAX_DROP)) return -Infinity;
  return names.reduce((s, n) => s + (gain[n] ?? 0) / Math.max(1e-9, baseline[n]!), 0) / Math.max(1, names.length);
}

export interface FusionFit {
  weights: FusionWeights;
  gain: Record<string, number>;
  baseline: Record<string, number>;
  objective: number;
}

/** Coordinate search over {@link FUSION_GRID} from `defaults`, `passes` rounds, on every dataset's pools. */
export function searchFusion(pools: Readonly<Record<string, RankingPools>>, defaults: FusionWeights, passes = 2): FusionFit {
  const measure = (w: FusionWeights): Record<string, number> => Object.fromEntries(Object.entries(pools).map(([n, p]) => [n, topGain(p, w)]));
  const baseline = measure(defaults);
  let best: FusionFit = { weights: defaults, gain: baseline, baseline, objective: fusionObjective(baseline, baseline) };
  for (let pass = 0; pass < passes; pass++) {
    let moved = false;
    for (const [key, values] of Object.entries(FUSION_GRID) as Array<[keyof FusionWeights, readonly number[]]>) {
      for (const v of values) {
        if (v === best.weights[key]) continue;
        const weights = { ...best.weights, [key]: v };
        const gain = measure(weights);
        const objective = fusionObjective(gain, baseline);
        if (objective > best.objective + 1e-9) ((best = { weights, gain, baseline, objective }), (moved = true));
      }
    }
    if (!moved) break;
  }
  return best;
}
