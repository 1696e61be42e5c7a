// Parse child: loads, redacts, chunks, analyzes and embeds ONE upload for the serving process, which keeps the store
// and the vector index (see parse-sandbox.ts). It runs with a capped heap and is killed by its parent past the
// memory and time limits, so whatever a hostile file does to the parsers happens here. One file per process: a
// file that leaves a parser in a bad state cannot affect the next one.
import { LocalHashEmbedder } from "../../src/adapters/local-embedder.js";
import { createRedactor, parseRedactPatterns } from "../../src/assist/redact.js";
import { createDocumentIds } from "../../src/assist/document-ids.js";
import { AppError, UnsupportedDocumentError } from "../../src/errors.js";
import { chunkTerms } from "../../src/text/chunk-terms.js";
import { chunkDocument } from "../chunking/chunk-document.js";
import { readUploadFile } from "./read-upload.js";
import { loadFile } from "../loaders/load-file.js";
import { decideDocument, embeddingText, prepareDocument, writePreparedDocument, type IngestOutcome, type PreparedDocument, type TextRedactor } from "../pipeline.js";
import { openSqliteStore } from "../../src/adapters/sqlite-store.js";
import type { ChunkInput, DocumentRecord } from "../../src/ports/document-repository.js";
import type { TokenizedChunk } from "../prepare-protocol.js";
import type { FromChild, SandboxRequest, SandboxSpec, ToChild } from "./sandbox-protocol.js";

/**
 * Documents with more chunks than this are written by the child (when it has the store and the embedder): one
 * document is one transaction, ~0.1 ms per chunk, which the serving process must not spend in one go.
 */
const WRITE_HERE_CHUNKS = 512;

/** Chunks and characters per message at most (one chunk always fits): keeps each message's decoding in the parent short. */
const CHUNKS_PER_PART = 64;
const CHARS_PER_PART = 256 * 1024;

/** The file being prepared: set by its "load" message, used by its "plan" message, cleared when it is done. */
type Loaded = { docs: PreparedDocument[]; spec: SandboxSpec; request: SandboxRequest };

if (!process.send) throw new Error("parse-child runs as a forked child process only");

serve();

/** One file at a time: load → plan → done; the parent may then send the next file to this same process. */
function serve(): void {
  let loaded: Loaded | undefined;
  process.on("message", (msg: ToChild) => {
    void handle(msg, loaded).then(
      (next) => {
        loaded = next;
      },
      (err: unknown) => fail(err),
    );
  });
}
// The parent's death closes the channel: nothing is left to do for it.
process.on("disconnect", () => process.exit(0));

function send(msg: FromChild): Promise<void> {
  return new Promise((resolve, reject) => process.send!(msg, undefined, {}, (err) => (err ? reject(err) : resolve())));
}

async function handle(msg: ToChild, loaded: Loaded | undefined): Promise<Loaded | undefined> {
  if (msg.kind === "load") {
    const redact = redactorFor(msg.spec);
    const bytes = await readUploadFile(msg.request.path, msg.request.fileName, msg.request.maxBytes);
    const raw = await loadFile(
      { bytes, fileName: msg.request.fileName, id: msg.request.id, ...(msg.request.title ? { title: msg.request.title } : {}) },
      { maxBytes: msg.request.maxBytes, limits: msg.spec.limits },
    );
    const documentIds = msg.spec.documentIds ? createDocumentIds(msg.spec.documentIds) : undefined;
    const next: Loaded = { docs: raw.map((d) => prepareDocument(d, msg.request.settings, msg.spec.embedderId, redact, documentIds)), spec: msg.spec, request: msg.request };
    await send({ kind: "loaded", records: next.docs.map((d) => d.record) });
    return next;
  }
  if (!loaded) throw new Error("plan received before a file was loaded");
  const { docs, spec, request } = loaded;
  const embedder = spec.embedder ? new LocalHashEmbedder(spec.embedder) : undefined;
  for (const [index, known] of msg.known.entries()) {
    if (known === null) continue;
    const knownSet = new Set(known);
    const chunks = chunkDocument(docs[index]!.doc, request.settings).map((chunk) => ({ chunk, ...chunkTerms(chunk) }));
    if (embedder && spec.storePath && chunks.length > WRITE_HERE_CHUNKS) {
      await send({ kind: "written", index, outcome: await writeHere(spec.storePath, docs[index]!.record, chunks, embedder) });
      continue;
    }
    for (const part of parts(chunks)) {
      await send({ kind: "chunks", index, chunks: part, fresh: embedder ? embed(embedder, part.filter((c) => !knownSet.has(c.chunk.contentHash))) : null });
    }
  }
  await send({ kind: "done" });
  return undefined;
}

/** Consecutive runs of chunks within the per-message bounds; one empty run for a document without chunks. */
function parts<T extends { chunk: { text: string } }>(chunks: readonly T[]): T[][] {
  const out: T[][] = [[]];
  let chars = 0;
  for (const c of chunks) {
    const last = out[out.length - 1]!;
    if (last.length > 0 && (last.length >= CHUNKS_PER_PART || chars + c.chunk.text.length > CHARS_PER_PART)) {
      out.push([c]);
      chars = c.chunk.text.length;
    } else {
      last.push(c);
      chars += c.chunk.text.length;
    }
  }
  return out;
}

/**
 * Writes one large document to the store from this process (its own connection; WAL lets the serving process read
 * meanwhile). Chunks whose hash is stored keep their vectors; the rest are embedded here.
 */
async function writeHere(storePath: string, record: DocumentRecord, chunks: TokenizedChunk[], embedder: LocalHashEmbedder): Promise<IngestOutcome> {
  const store = openSqliteStore(storePath);
  try {
    const decision = await decideDocument(store, record);
    if ("outcome" in decision) return decision.outcome;
    let embedded = 0;
    const inputs = chunks.map((c): ChunkInput => {
      const known = decision.known.get(c.chunk.contentHash);
      if (known) return { ...c, vector: known };
      embedded++;
      return { ...c, vector: embedder.embedSync(embeddingText(c.chunk)) };
    });
    return await writePreparedDocument(store, record, inputs, decision.existed, embedded);
  } finally {
    await store.close();
  }
}

function embed(embedder: LocalHashEmbedder, chunks: ReadonlyArray<{ chunk: Parameters<typeof embeddingText>[0] }>): Float32Array {
  const out = new Float32Array(chunks.length * embedder.dimensions);
  chunks.forEach((c, i) => out.set(embedder.embedSync(embeddingText(c.chunk)), i * embedder.dimensions));
  return out;
}

function redactorFor(spec: SandboxSpec): TextRedactor | undefined {
  if (!spec.redaction) return undefined;
  const redactor = createRedactor(parseRedactPatterns(spec.redaction.patterns), spec.redaction.policy);
  return (text, target) => redactor.redact(text, target);
}

function fail(err: unknown): void {
  // Bad input says why in its own words (file and reason, never content); anything else is a parser failure whose
  // message might quote the file, so only its kind is passed on.
  const reason = err instanceof UnsupportedDocumentError ? String(err.details?.["reason"] ?? err.message)
    : err instanceof AppError ? err.message
    : `the parser failed (${err instanceof Error ? err.name : "error"})`;
  const status = err instanceof AppError ? err.status : 422;
  void send({ kind: "failed", reason, status }).finally(() => process.exit(0));
}
