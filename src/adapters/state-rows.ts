import type { CuratedAnswer, CuratedVersion } from "../domain/curated.js";
import type { Proposal, ProposalState } from "../ports/analytics-store.js";
import type { LedgerEntry } from "../ports/job-ledger.js";
import type { IngestJobResult } from "../ports/job-queue.js";
import { ingestJobDataSchema } from "../jobs/job-contract.js";

/**
 * Row shapes and mappers of the shared state (job ledger, curated answers, proposals) that the SQLite and the PostgreSQL
 * adapters both read: the tables have the same columns in both, so one mapper keeps their answers identical.
 */
export interface LedgerRow {
  id: string;
  data: string;
  state: LedgerEntry["state"];
  result: string | null;
  error: string | null;
  /** Epoch ms. */
  created_at: number;
  finished_at: number | null;
}

/** A ledger row as an entry; undefined when its payload no longer parses (written by an incompatible build). */
export function ledgerRowToEntry(row: LedgerRow): LedgerEntry | undefined {
  const parsed = ingestJobDataSchema.safeParse(JSON.parse(row.data));
  if (!parsed.success) return undefined;
  const data = parsed.data;
  return {
    id: row.id,
    collection: data.collection,
    documentId: data.documentId,
    fileName: data.fileName,
    state: row.state,
    data,
    ...(row.result !== null ? { result: JSON.parse(row.result) as IngestJobResult } : {}),
    ...(row.error !== null ? { error: row.error } : {}),
    createdAt: new Date(row.created_at).toISOString(),
    ...(row.finished_at !== null ? { finishedAt: new Date(row.finished_at).toISOString() } : {}),
  };
}

/** A curated version row with the time of its answer's first version (`first_at`). */
export interface CuratedRow {
  collection: string;
  id: string;
  version: number;
  question: string;
  answer: string;
  author: string;
  /** Who proposed the version's text (an accepted /feedback correction); null for a version written directly. */
  proposed_by: string | null;
  created_at: string;
  first_at: string;
}

export const curatedRowToAnswer = (r: CuratedRow): CuratedAnswer => ({
  id: r.id, collection: r.collection, question: r.question, answer: r.answer, version: r.version, author: r.author,
  ...(r.proposed_by !== null ? { proposedBy: r.proposed_by } : {}),
  createdAt: r.first_at, updatedAt: r.created_at,
});

/** One version row (no `first_at` needed) as a version of its answer. */
export const curatedRowToVersion = (r: Omit<CuratedRow, "first_at">): CuratedVersion => ({
  version: r.version, question: r.question, answer: r.answer, author: r.author,
  ...(r.proposed_by !== null ? { proposedBy: r.proposed_by } : {}), createdAt: r.created_at,
});

/** The latest version of each curated answer, with the time of its first version (plain SQL both engines run). */
export const CURATED_LATEST = `SELECT v.*, (SELECT min(created_at) FROM curated_versions f WHERE f.collection = v.collection AND f.id = v.id) AS first_at
  FROM curated_versions v
  WHERE v.version = (SELECT max(version) FROM curated_versions m WHERE m.collection = v.collection AND m.id = v.id)`;

/** A proposal row: a feedback row with a review state, joined with the served record it corrects. */
export interface ProposalRow {
  /** SQLite gives a number; PostgreSQL a bigint as text. */
  id: number | string;
  answer_id: string; question: string; answer: string | null; corrected_answer: string; comment: string | null;
  key_name: string | null; collections: string[] | null; review_state: ProposalState; reviewed_by: string | null;
  reviewed_at: string | null; curated_id: string | null; created_at: string;
}

/** Optional columns become absent fields, never nulls. */
export function proposalRowToProposal(r: ProposalRow): Proposal {
  const opt = <K extends string>(key: K, v: string | null): Partial<Record<K, string>> => (v === null ? {} : ({ [key]: v } as Record<K, string>));
  return {
    id: Number(r.id), answerId: r.answer_id, question: r.question, ...opt("answer", r.answer), correctedAnswer: r.corrected_answer,
    ...opt("comment", r.comment), ...opt("proposedBy", r.key_name), ...(r.collections !== null ? { collections: r.collections } : {}),
    state: r.review_state, ...opt("reviewedBy", r.reviewed_by), ...opt("reviewedAt", r.reviewed_at), ...opt("curatedId", r.curated_id), createdAt: r.created_at,
  };
}

/** The proposal columns, from `feedback f JOIN served s`, in both engines. */
export const PROPOSAL_COLUMNS = `f.answer_id, s.question, s.answer, f.corrected_answer, f.comment, f.key_name, s.collections,
  f.review_state, f.reviewed_by, f.reviewed_at, f.curated_id, f.created_at`;
