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
