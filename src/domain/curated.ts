/** One version of a curated answer: what was written, by which API key name (never the key), and when. */
export interface CuratedVersion {
  /** 1 for the first version, then one more per edit. */
  version: number;
  /** The question the answer is for (stored redacted). */
  question: string;
  /** The answer text (stored redacted). */
  answer: string;
  /** Name of the API key that wrote this version (`anonymous` without keys). */
  author: string;
  /**
   * Name of the API key that proposed this text through POST /feedback (`correctedAnswer`), when this version is a
   * proposal the author accepted; absent for a version written directly.
   */
  proposedBy?: string;
  /** ISO 8601 UTC. */
  createdAt: string;
}

/**
 * A curated answer: a corrected answer a content team wrote for a question, stored and indexed like any source (source
 * type `curated`, document id = its id, in its collection). Its latest version is what is indexed and answered from.
 */
export interface CuratedAnswer {
  /** `curated-<uuid>`; also the id of the indexed document in `collection`. */
  id: string;
  collection: string;
  /** The latest version's fields. */
  question: string;
  answer: string;
  version: number;
  author: string;
  /** The latest version's proposer, when it was an accepted /feedback correction (see `CuratedVersion`). */
  proposedBy?: string;
  /** When the first version was written. */
  createdAt: string;
  /** When the latest version was written. */
  updatedAt: string;
}

/** A curated answer with every version, oldest first. */
export interface CuratedAnswerWithVersions extends CuratedAnswer {
  versions: CuratedVersion[];
}
