import type { LocalEmbedderOptions } from "../../src/adapters/local-embedder.js";
import type { DocumentRecord } from "../../src/ports/document-repository.js";
import type { LoaderLimits } from "../loaders/limits.js";
import type { IngestOutcome, IngestSettings } from "../pipeline.js";
import type { RedactionSpec, TokenizedChunk } from "../prepare-protocol.js";
import type { DocumentIdSpec } from "../../src/assist/document-ids.js";

/**
 * Messages between the serving process and a parse child (parse-child.ts), over the fork IPC channel with
 * structured-clone serialization (typed arrays cross as they are). A file takes two round trips, as in the worker
 * pool: the child loads and redacts it and reports its documents' records; the parent answers which documents are
 * unchanged and which chunk hashes already have stored vectors; the child chunks, analyzes and embeds the rest and
 * sends them in parts small enough that the parent never spends long decoding one message.
 */

/** One upload to prepare. */
export interface SandboxRequest {
  /** The upload file on disk (the child reads it itself: the bytes never cross into the serving process). */
  path: string;
  /** Client-supplied (sanitized) name: picks the format and names the file in errors. */
  fileName: string;
  /** Document id for single-document formats. */
  id: string;
  title?: string;
  maxBytes: number;
  settings: IngestSettings;
}

/** What the child needs to prepare exactly as the serving process would (functions cannot cross processes). */
export interface SandboxSpec {
  limits: LoaderLimits;
  /** Id of the embedder whose vectors are stored: part of every document's content hash. */
  embedderId: string;
  /** The local embedder's options; absent for a remote embedder, whose vectors the parent requests itself. */
  embedder?: Required<LocalEmbedderOptions>;
  /** Present when documents must be redacted: the REDACT_PATTERNS and REDACT_POLICY the serving process's redactor was built from. */
  redaction?: RedactionSpec | undefined;
  /** Present when document ids are mapped (ids with personal data stored as their HMAC): how to rebuild that mapping. */
  documentIds?: DocumentIdSpec | undefined;
  /**
   * The store file, when the child may write large documents itself (local embedder only): one document is one
   * transaction, and a document of thousands of chunks would hold the serving event loop for a second.
   */
  storePath?: string;
}

export type ToChild =
  | { kind: "load"; spec: SandboxSpec; request: SandboxRequest }
  /** Per loaded document: null when it is unchanged (skip it), else the content hashes that already have vectors. */
  | { kind: "plan"; known: Array<string[] | null> };

export type FromChild =
  | { kind: "loaded"; records: DocumentRecord[] }
  /** Part of document `index`'s chunks, in order; `fresh` holds the vectors of its chunks not known (local embedder). */
  | { kind: "chunks"; index: number; chunks: TokenizedChunk[]; fresh: Float32Array | null }
  /** Document `index` was large and the child wrote it to the store itself (in one transaction). */
  | { kind: "written"; index: number; outcome: IngestOutcome }
  | { kind: "done" }
  /** A failure the child recognised: `reason` names what went wrong, never the file's content. */
  | { kind: "failed"; reason: string; status: number };
