/** How one served answer or suggestion ended (the same outcomes as the answers metric). */
export type ServedOutcome = "answered" | "refused" | "escalated" | "degraded";

/** What was served: a /answer or /v1/chat/completions answer, or a /suggest result. */
export type ServedKind = "answer" | "suggestion";

/**
 * One answer or suggestion as recorded for analytics. The question is stored REDACTED (no e-mail, phone, card, ...);
 * callers redact before recording.
 */
export interface ServedRecord {
  id: string;
  kind: ServedKind;
  question: string;
  /** What was served (the answer, or the first suggestion), REDACTED: shown beside a correction proposed for it. */
  answer?: string;
  outcome: ServedOutcome;
  confidence: number;
  citedDocumentIds: string[];
  /**
   * Collections the request was limited to (the key's, or the filter's); absent: every collection. Only a viewer
   * allowed all of them sees the record (a collection-limited admin never sees unrestricted questions).
   */
  collections?: string[];
  language?: string;
  /** API key name that asked (never the key). */
  keyName?: string;
  /** ISO 8601 UTC. */
  createdAt: string;
}

export type Rating = "up" | "down";

export interface FeedbackRecord {
  answerId: string;
  rating: Rating;
  comment?: string;
  correctedAnswer?: string;
  keyName?: string;
  createdAt: string;
}

/** Whose view: a collection-limited key sees only records served within its collections; undefined: everything. */
export interface ViewScope {
  collections?: readonly string[];
}

/**
 * Where a rating may land, beyond the viewer's collections. A `widget` key is public (every visitor of a help site holds
 * it), so its ratings only reach answers served to that key (`servedTo`), and a later rating of the same answer by the
 * same key replaces the earlier one (`replaceOwn`) instead of adding votes.
 */
export interface FeedbackScope extends ViewScope {
  /** Only answers served to this API key name. */
  servedTo?: string;
  /** Replace this key's earlier rating of the same answer (the feedback's `keyName`). */
  replaceOwn?: boolean;
}

/** Half-open time range [from, to) of ISO 8601 UTC timestamps; either end may be open. */
export interface TimeRange {
  from?: string;
  to?: string;
}

/** Aggregates over the served records (and their feedback) in a time range. */
export interface ServedSummary {
  total: number;
  byOutcome: Record<ServedOutcome, number>;
  byKind: Record<ServedKind, number>;
  feedback: { up: number; down: number; /** Served records with at least one rating. */ rated: number };
  /** Most cited documents, most first. */
  topCited: Array<{ documentId: string; count: number }>;
  /** Records per UTC day (YYYY-MM-DD) and outcome, oldest day first; days without records are absent. */
  byDay: Array<{ day: string; outcomes: Record<ServedOutcome, number> }>;
}

/** A served record that may show a gap in the documentation: refused, low-confidence or down-voted. */
export interface GapCandidate {
  id: string;
  question: string;
  outcome: ServedOutcome;
  confidence: number;
  downVotes: number;
  /** Collections it was served within (absent: every collection). */
  collections?: string[];
  createdAt: string;
}

/** Where a correction submitted with /feedback stands in the review queue. */
export type ProposalState = "open" | "accepted" | "dismissed";

/**
 * A `correctedAnswer` from POST /feedback, as a proposed curated answer: never used in answers until a `curate` key
 * accepts it. Every text is stored redacted.
 */
export interface Proposal {
  /** The feedback record's id. */
  id: number;
  answerId: string;
  /** The question that was served. */
  question: string;
  /** The answer the correction corrects (absent for records served before answers were kept). */
  answer?: string;
  correctedAnswer: string;
  comment?: string;
  /** Key name that submitted the correction (absent without keys). */
  proposedBy?: string;
  /** Collections the question was served within (absent: every collection). */
  collections?: string[];
  state: ProposalState;
  /** Key name that accepted or dismissed it. */
  reviewedBy?: string;
  reviewedAt?: string;
  /** The curated answer an accepted proposal became. */
  curatedId?: string;
  createdAt: string;
}

/** How a proposal was reviewed. */
export interface ProposalReview {
  state: "accepted" | "dismissed";
  by: string;
  /** ISO 8601 UTC. */
  at: string;
  curatedId?: string;
}

/**
 * Durable log of served answers/suggestions and their feedback (SQLite in DATA_DIR/analytics.db, PostgreSQL when
 * DATABASE_URL is set, or a fake). Kept apart from the documents: it grows with traffic, and its retention is a separate
 * decision. Async so a networked backend fits; `close` leaves a shared connection pool to its owner.
 */
export interface AnalyticsStore {
  recordServed(record: ServedRecord): Promise<void>;
  /** Stores a rating; resolves false (nothing stored) when no served record has that id visible to `scope`. */
  recordFeedback(feedback: FeedbackRecord, scope?: FeedbackScope): Promise<boolean>;
  /** Aggregates over the records visible to `scope` (all when absent). */
  summary(range: TimeRange, topCited?: number, scope?: ViewScope): Promise<ServedSummary>;
  /**
   * Refused records, records below `lowConfidence`, and down-voted records in the range visible to `scope`, newest
   * first, at most `limit`.
   */
  gapCandidates(range: TimeRange, options: { lowConfidence: number; limit: number } & ViewScope): Promise<GapCandidate[]>;
  /** Corrections submitted with feedback, newest first, of `state` (every state when absent), visible to `scope`. */
  proposals(
    options: { state?: ProposalState; limit: number; offset: number } & ViewScope,
  ): Promise<{ items: Proposal[]; total: number }>;
  proposal(id: number, scope?: ViewScope): Promise<Proposal | undefined>;
  /**
   * Records the review of an open proposal visible to `scope`, atomically: resolves false (nothing changed) when it is
   * not open any more — two reviewers cannot both accept it.
   */
  reviewProposal(id: number, review: ProposalReview, scope?: ViewScope): Promise<boolean>;
  close(): void;
}
