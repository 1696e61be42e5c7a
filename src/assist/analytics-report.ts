import type { AnalyticsStore, GapCandidate, ServedOutcome, TimeRange } from "../ports/analytics-store.js";
import { clusterTexts } from "./cluster.js";

export interface ReportOptions {
  range: TimeRange;
  /** Answers below this confidence count as coverage gaps even when answered. */
  lowConfidence: number;
  /** Least term Jaccard for two questions to share a gap cluster. */
  clusterThreshold: number;
  /** Most recent gap candidates clustered (bounds the work on busy installations). */
  maxCandidates?: number;
  /** Examples shown per cluster. */
  examples?: number;
  topCited?: number;
  /** Document titles for the most-cited list (looked up within `collections`). */
  titleOf?: (documentId: string, collections: readonly string[] | undefined) => Promise<string | undefined> | string | undefined;
  /** The viewer's collections: only records served within them count; undefined: every record. */
  collections?: readonly string[];
}

export interface GapCluster {
  count: number;
  /** The question that seeded the cluster (redacted). */
  representative: string;
  examples: string[];
  outcomes: Partial<Record<ServedOutcome, number>>;
  downVotes: number;
  averageConfidence: number;
  /** Collections the representative was asked within (absent: every collection). */
  collections?: string[];
  /**
   * The curated answer that now answers the representative when every example does too (the cluster is covered),
   * else null; absent when not checked (no curated answer in view, or beyond the clusters checked).
   */
  coveredBy?: CuratedCoverage | null;
  /** Each example, asked again through the same retrieval and gate: the curated answer that answers it, or null. */
  coverage?: Array<{ question: string; coveredBy: CuratedCoverage | null }>;
}

/** A curated answer that answers a queued question now: its id and the question it was written for. */
export interface CuratedCoverage {
  curatedId: string;
  question: string;
}

/** What GET /analytics and `npm run report` show. */
export interface AnalyticsReport {
  range: { from: string | null; to: string | null };
  questions: number;
  byKind: { answer: number; suggestion: number };
  outcomes: Record<ServedOutcome, number>;
  /** Share of questions per outcome (0–1). */
  rates: Record<ServedOutcome, number>;
  feedback: { up: number; down: number; rated: number; ratedRate: number; upRate: number; downRate: number };
  mostCited: Array<{ documentId: string; title: string | null; count: number }>;
  /** Questions per UTC day by outcome, oldest first (days without questions are absent). */
  daily: Array<{ day: string; outcomes: Record<ServedOutcome, number> }>;
  coverageGaps: {
    candidates: number;
    clusters: GapCluster[];
    /** Clusters a curated answer now answers (set by the coverage check; see `coveredBy`), and which are listed. */
    covered?: number;
    show?: "open" | "covered" | "all";
  };
  settings: { lowConfidence: number; clusterThreshold: number };
}

/** Builds the report: outcome and feedback rates, most cited documents, and clustered coverage gaps. */
export async function buildAnalyticsReport(store: AnalyticsStore, options: ReportOptions): Promise<AnalyticsReport> {
  const scope = options.collections ? { collections: options.collections } : {};
  const s = await store.summary(options.range, options.topCited ?? 10, scope);
  const candidates = await store.gapCandidates(options.range, { lowConfidence: options.lowConfidence, limit: options.maxCandidates ?? 5000, ...scope });
  const clusters = clusterTexts(candidates, (c) => c.question, options.clusterThreshold).map((c) => gapCluster(c.members, options.examples ?? 3));
  const rate = (n: number, of: number): number => (of === 0 ? 0 : round(n / of));
  const ratings = s.feedback.up + s.feedback.down;
  return {
    range: { from: options.range.from ?? null, to: options.range.to ?? null },
    questions: s.total,
    byKind: s.byKind,
    outcomes: s.byOutcome,
    rates: {
      answered: rate(s.byOutcome.answered, s.total),
      refused: rate(s.byOutcome.refused, s.total),
      escalated: rate(s.byOutcome.escalated, s.total),
      degraded: rate(s.byOutcome.degraded, s.total),
    },
    feedback: {
      ...s.feedback,
      ratedRate: rate(s.feedback.rated, s.total),
      upRate: rate(s.feedback.up, ratings),
      downRate: rate(s.feedback.down, ratings),
    },
    mostCited: await Promise.all(s.topCited.map(async (c) => ({ ...c, title: (await options.titleOf?.(c.documentId, options.collections)) ?? null }))),
    daily: s.byDay,
    coverageGaps: { candidates: candidates.length, clusters },
    settings: { lowConfidence: options.lowConfidence, clusterThreshold: options.clusterThreshold },
  };
}

function gapCluster(members: readonly GapCandidate[], examples: number): GapCluster {
  const outcomes: Partial<Record<ServedOutcome, number>> = {};
  for (const m of members) outcomes[m.outcome] = (outcomes[m.outcome] ?? 0) + 1;
  const distinct = [...new Set(members.map((m) => m.question))];
  const collections = members[0]?.collections;
  return {
    count: members.length,
    representative: members[0]?.question ?? "",
    examples: distinct.slice(0, examples),
    outcomes,
    downVotes: members.reduce((n, m) => n + m.downVotes, 0),
    averageConfidence: round(members.reduce((n, m) => n + m.confidence, 0) / Math.max(1, members.length)),
    ...(collections ? { collections } : {}),
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
