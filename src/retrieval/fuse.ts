/**
 * Weighted reciprocal rank fusion: score(d) = Σ_leg weight_leg / (k + rank_leg(d)), ranks 1-based.
 * Rank-based, so BM25 scores and cosine similarities need no common scale.
 */
export interface RankedList {
  name: string;
  weight: number;
  labels: readonly number[];
}

export interface FusedHit {
  label: number;
  score: number;
  /** 1-based rank in each list that contained the label. */
  ranks: Record<string, number>;
}

export function reciprocalRankFusion(lists: readonly RankedList[], k = 60): FusedHit[] {
  const byLabel = new Map<number, FusedHit>();
  for (const list of lists) {
    if (list.weight <= 0) continue;
    list.labels.forEach((label, i) => {
      const rank = i + 1;
      const hit = byLabel.get(label) ?? { label, score: 0, ranks: {} };
      hit.score += list.weight / (k + rank);
      hit.ranks[list.name] = rank;
      byLabel.set(label, hit);
    });
  }
  return [...byLabel.values()].sort((a, b) => b.score - a.score || a.label - b.label);
}

/**
 * Score fusion of several evidence features: each feature is divided by its largest value among the candidates
 * (so every feature spans [0, 1] whatever its scale) and the results are summed with the given weights. Unlike RRF
 * it keeps how far ahead a candidate is, so a weak feature moves near-ties without overturning a clear winner.
 */
export function fuseNormalized<K extends string>(rows: ReadonlyArray<Readonly<Record<K, number>>>, weights: Readonly<Record<K, number>>): number[] {
  const keys = Object.keys(weights) as K[];
  const max = new Map<K, number>();
  for (const k of keys) {
    let m = 0;
    for (const r of rows) m = Math.max(m, r[k]);
    max.set(k, m);
  }
  return rows.map((r) => {
    let score = 0;
    for (const k of keys) {
      const m = max.get(k) ?? 0;
      if (m > 0 && weights[k] !== 0) score += (weights[k] * r[k]) / m;
    }
    return score;
  });
}
