import type { AnswerRequest } from "../answer/answer.js";
import type { AnalyticsReport, CuratedCoverage, GapCluster } from "../assist/analytics-report.js";
import type { Answer } from "../domain/answer.js";

/** Which clusters of the review queue a report lists: still open, covered by a curated answer, or both. */
export type GapShow = "open" | "covered" | "all";

export interface CoverageOptions {
  /** The viewer's collections (undefined: every collection): a question is asked again within them only. */
  collections?: readonly string[];
  /** At most this many clusters (the largest) are asked again, each example; the rest stay unchecked and open. */
  maxChecks: number;
  show: GapShow;
}

/**
 * Marks the review queue's clusters a curated answer now covers. Nothing matches strings: each example question of
 * a cluster is answered again, as a bot would be answered now — the same retrieval, the curated answers' gate,
 * confidence and verification — within the collections it was asked in (and the viewer's); it is covered when that
 * answer is answerable and cites a curated answer. A cluster is covered when all its examples are: a near miss
 * ("cancel the pairing") grouped with a covered question keeps the cluster open, with the covered question marked.
 * Covered clusters leave the open queue (`show: "open"`); `show: "covered"` lists them alone.
 */
export async function markCoveredGaps(
  report: AnalyticsReport,
  answer: (request: AnswerRequest) => Promise<Answer>,
  options: CoverageOptions,
): Promise<AnalyticsReport> {
  const checked: GapCluster[] = [];
  for (const [i, cluster] of report.coverageGaps.clusters.entries()) {
    if (i >= options.maxChecks) {
      checked.push(cluster);
      continue;
    }
    const coverage: NonNullable<GapCluster["coverage"]> = [];
    for (const question of cluster.examples) coverage.push({ question, coveredBy: await coverageOf(question, cluster.collections, answer, options.collections) });
    const all = coverage.length > 0 && coverage.every((c) => c.coveredBy !== null);
    checked.push({ ...cluster, coverage, coveredBy: all ? (coverage[0]?.coveredBy ?? null) : null });
  }
  const isCovered = (c: GapCluster): boolean => Boolean(c.coveredBy);
  const clusters = options.show === "all" ? checked : checked.filter((c) => isCovered(c) === (options.show === "covered"));
  return { ...report, coverageGaps: { ...report.coverageGaps, clusters, covered: checked.filter(isCovered).length, show: options.show } };
}

async function coverageOf(
  question: string,
  asked: readonly string[] | undefined,
  answer: (request: AnswerRequest) => Promise<Answer>,
  viewer: readonly string[] | undefined,
): Promise<CuratedCoverage | null> {
  const collections = asked && viewer ? asked.filter((c) => viewer.includes(c)) : (asked ?? viewer);
  if (collections && collections.length === 0) return null;
  const a = await answer({ question, ...(collections ? { filters: { collections: [...collections] } } : {}) });
  const cited = a.answerable ? a.citations.find((c) => c.sourceType === "curated") : undefined;
  return cited ? { curatedId: cited.documentId, question: cited.title } : null;
}
