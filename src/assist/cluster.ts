import { queryTerms } from "../text/analyzer.js";

/** A group of similar texts: the first one seeds it and is its representative. */
export interface Cluster<T> {
  representative: T;
  members: T[];
}

/** Jaccard similarity of two term sets (0 when both are empty). */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  return shared / (a.size + b.size - shared);
}

/** The analyzer's terms (stems, CJK words and bigrams) of a question, as a set. */
export function termSet(text: string): Set<string> {
  return new Set(queryTerms(text));
}

/**
 * Greedy single-pass clustering by term Jaccard: each text joins the cluster whose representative it is most similar
 * to, if that similarity reaches `threshold`, or seeds a new cluster. Deterministic for a given order; O(n · clusters).
 * Clusters come back largest first (ties: the one seeded first).
 */
export function clusterTexts<T>(items: readonly T[], textOf: (item: T) => string, threshold: number): Array<Cluster<T>> {
  const clusters: Array<{ cluster: Cluster<T>; terms: Set<string>; order: number }> = [];
  for (const item of items) {
    const terms = termSet(textOf(item));
    let best: (typeof clusters)[number] | undefined;
    let bestScore = -1;
    for (const c of clusters) {
      const score = jaccard(terms, c.terms);
      if (score > bestScore) {
        best = c;
        bestScore = score;
      }
    }
    if (best && bestScore >= threshold && terms.size > 0) best.cluster.members.push(item);
    else clusters.push({ cluster: { representative: item, members: [item] }, terms, order: clusters.length });
  }
  return clusters.sort((a, b) => b.cluster.members.length - a.cluster.members.length || a.order - b.order).map((c) => c.cluster);
}
