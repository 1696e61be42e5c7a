import type { Chunk } from "../src/domain/chunk.js";
import type { LocalEmbedderOptions } from "../src/adapters/local-embedder.js";
import type { DocumentRecord } from "../src/ports/document-repository.js";
import type { FileTarget } from "./load-target.js";
import type { IngestSettings } from "./pipeline.js";
import type { RedactPolicy } from "../src/assist/redact-policy.js";
import type { DocumentIdSpec } from "../src/assist/document-ids.js";

/** How to rebuild the engine's redactor in another thread (plain data: functions cannot cross threads). */
export interface RedactionSpec {
  patterns?: string | undefined;
  /** Parsed REDACT_POLICY; the default policy when absent. */
  policy?: RedactPolicy | undefined;
}

/**
 * Messages between the ingest thread (owner of the store) and the prepare workers. A file takes two round trips:
 * the worker loads it and reports its documents' records; the ingest thread answers which are unchanged and which
 * chunk hashes already have stored vectors; the worker then chunks, analyzes and embeds only what is needed.
 */

/** What a worker needs to prepare exactly as the ingest thread would (functions cannot cross threads). */
export interface PrepareSpec {
  /** Options of the local embedder whose vectors are stored (workers build an identical one). */
  embedder: Required<LocalEmbedderOptions>;
  /** Present when documents must be redacted: the REDACT_PATTERNS and REDACT_POLICY the ingest thread's redactor was built from. */
  redaction?: RedactionSpec | undefined;
  /** Present when document ids are mapped (see src/assist/document-ids.ts): how to rebuild that mapping. */
  documentIds?: DocumentIdSpec | undefined;
}

export type ToWorker =
  | { kind: "load"; job: number; target: FileTarget; maxBytes: number; settings: IngestSettings }
  /** Per loaded document: null when it is unchanged (skip it), else the content hashes that already have vectors. */
  | { kind: "plan"; job: number; known: Array<string[] | null> };

export type FromWorker =
  | { kind: "loaded"; job: number; records: DocumentRecord[] }
  | { kind: "prepared"; job: number; docs: PreparedPayload[] }
  | { kind: "failed"; job: number; error: string };

/** A chunk with its BM25 tokens, ready to store once it has a vector. */
export interface TokenizedChunk {
  chunk: Chunk;
  titleTokens: string[];
  bodyTokens: string[];
}

/** One changed document, prepared. */
export interface PreparedPayload {
  /** Index of the document in the `loaded` records. */
  index: number;
  chunks: TokenizedChunk[];
  /** Vectors of the chunks whose hash was not known, in chunk order, back to back (one transferable buffer). */
  fresh: Float32Array;
}
