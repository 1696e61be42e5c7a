import type { CuratedAnswer, CuratedAnswerWithVersions } from "../domain/curated.js";

/** A version to append: the id is created by the caller for a new curated answer. */
export interface CuratedVersionInput {
  collection: string;
  id: string;
  question: string;
  answer: string;
  author: string;
  /** Key name of whoever proposed the text (an accepted /feedback correction); absent when written directly. */
  proposedBy?: string;
  /** ISO 8601 UTC. */
  at: string;
}

export interface CuratedListQuery {
  /** Only these collections; undefined: every collection. */
  collections?: readonly string[];
  limit?: number;
  offset?: number;
}

/**
 * Where curated answers and all their versions are kept (the indexed text lives in the document store like any
 * source's). A curated answer is identified by `(collection, id)`, like a document. Async so any backend fits.
 */
export interface CuratedStore {
  /**
   * Appends a version (version 1 when `(collection, id)` is new, else the next number, decided inside one transaction)
   * and returns the curated answer as it now is. `expectExisting` makes it a no-op returning undefined when the answer
   * does not exist (an update must not resurrect a deleted answer).
   */
  addVersion(input: CuratedVersionInput, expectExisting: boolean): Promise<CuratedAnswer | undefined>;
  get(collection: string, id: string): Promise<CuratedAnswerWithVersions | undefined>;
  /** Latest versions, most recently updated first. */
  list(query?: CuratedListQuery): Promise<{ items: CuratedAnswer[]; total: number }>;
  /** The latest version of each of these answers (any collection; ids are unique), for citations. */
  latest(ids: readonly string[]): Promise<Map<string, CuratedAnswer>>;
  /** Removes the answer and every version; false when it did not exist. */
  remove(collection: string, id: string): Promise<boolean>;
  close(): void;
}
