import type { SourceType } from "./document.js";

/** A numbered source given to a composer: one retrieved chunk. `n` is 1-based and is what `[n]` markers cite. */
export interface Source {
  n: number;
  /** The chunk's key (`Chunk.id`), or a synthetic one for sources that are no stored chunk. */
  chunkId: string;
  documentId: string;
  /** The stored chunk's collection; absent for sources that are no stored chunk (then `chunkId` is synthetic). */
  collection?: string;
  title: string;
  sectionPath: string[];
  page?: number;
  /** Printed page label ("22", "iv") beside the 1-based PDF page index `page`. */
  pageLabel?: string;
  url?: string;
  sourceType: SourceType;
  text: string;
  /** Retrieval score (fused); higher is better. */
  score: number;
  /**
   * A further chunk of the top source's section (retrieval's `sectionMate`), given as context for that source: the
   * extractive composer only quotes it in place of the top source's passage, never ranks it as a source of its own.
   */
  sectionMate?: true;
}

/** A citation shown to users: points to a source that was actually given to the composer. */
export interface Citation {
  n: number;
  documentId: string;
  /**
   * Where the cited chunk is stored, for opening it whole (GET /chunks/:documentId?collection=&chunk=): its collection
   * and chunk key. Absent when the source is no stored chunk (a generalised past ticket in a suggestion).
   */
  collection?: string;
  chunkId?: string;
  title: string;
  sectionPath: string[];
  /** 1-based PDF page index. */
  page?: number;
  /** Printed page label ("22", "iv"), when the document defines one. */
  pageLabel?: string;
  url?: string;
  snippet: string;
  score: number;
  /** What kind of source this is; `curated` marks a curated answer (then `curated` says which version, by whom). */
  sourceType?: SourceType;
  /** A cited curated answer: its current version, the API key name that wrote it, and when. */
  curated?: CuratedCitation;
}

/** Who wrote the cited curated answer's current version, and when (the key name, never the key). */
export interface CuratedCitation {
  version: number;
  author: string;
  /** Key name of whoever proposed the text through /feedback, when the version is an accepted correction. */
  proposedBy?: string;
  /** ISO 8601 UTC. */
  updatedAt: string;
}

export type EscalationReason =
  | "low-confidence"
  | "no-evidence"
  | "unsupported-answer"
  | "composer-failed"
  | "human-requested"
  | "negative-sentiment"
  | "sensitive-topic"
  | "repeated-contact";

/** The answer use case's result. Later features add fields; these are never renamed. */
export interface Answer {
  id: string;
  question: string;
  /** The question actually searched (after multi-turn rewriting). */
  standaloneQuestion: string;
  answer: string;
  citations: Citation[];
  confidence: number;
  answerable: boolean;
  escalate: boolean;
  escalationReasons: EscalationReason[];
  /** True when the LLM composer failed and the extractive composer answered instead. */
  degraded: boolean;
  language: string;
  timings: { retrievalMs: number; composeMs: number; totalMs: number };
}

/** One turn of conversation history (OpenAI convention). */
export interface HistoryTurn {
  role: "user" | "assistant";
  content: string;
}
