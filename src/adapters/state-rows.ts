import type { CuratedAnswer } from "../domain/curated.js";
import type { LedgerEntry } from "../ports/job-ledger.js";
import type { IngestJobResult } from "../ports/job-queue.js";
import { ingestJobDataSchema } from "../jobs/job-contract.js";

/**
 * Row shapes and mappers of the shared state (job ledger, curated answers) that the SQLite and the PostgreSQL
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
  created_at: string;
  first_at: string;
}

export const curatedRowToAnswer = (r: CuratedRow): CuratedAnswer => ({
  id: r.id, collection: r.collection, question: r.question, answer: r.answer, version: r.version, author: r.author,
  createdAt: r.first_at, updatedAt: r.created_at,
});

/** The latest version of each curated answer, with the time of its first version (plain SQL both engines run). */
export const CURATED_LATEST = `SELECT v.*, (SELECT min(created_at) FROM curated_versions f WHERE f.collection = v.collection AND f.id = v.id) AS first_at
  FROM curated_versions v
  WHERE v.version = (SELECT max(version) FROM curated_versions m WHERE m.collection = v.collection AND m.id = v.id)`;
