import { parentPort, workerData } from "node:worker_threads";
import { LocalHashEmbedder } from "../src/adapters/local-embedder.js";
import { createRedactor, parseRedactPatterns } from "../src/assist/redact.js";
import { createDocumentIds } from "../src/assist/document-ids.js";
import { errorMessage } from "../src/errors.js";
import { chunkTerms } from "../src/text/chunk-terms.js";
import { chunkDocument } from "./chunking/chunk-document.js";
import { loadTarget } from "./load-target.js";
import { embeddingText, prepareDocument, type IngestSettings, type PreparedDocument, type TextRedactor } from "./pipeline.js";
import type { FromWorker, PreparedPayload, PrepareSpec, ToWorker } from "./prepare-protocol.js";

/**
 * Ingest worker thread: loads, redacts, chunks, analyzes and embeds files for the ingest thread, which keeps the
 * store and the vector index (see worker-pool.ts). Every step is the same code the in-process pipeline runs.
 */
const spec = workerData as PrepareSpec;
const embedder = new LocalHashEmbedder(spec.embedder);
const redactor = spec.redaction ? createRedactor(parseRedactPatterns(spec.redaction.patterns), spec.redaction.policy) : undefined;
const redact: TextRedactor | undefined = redactor ? (text, target) => redactor.redact(text, target) : undefined;
const documentIds = spec.documentIds ? createDocumentIds(spec.documentIds) : undefined;
/** Files loaded and waiting for their plan. */
const loaded = new Map<number, { docs: PreparedDocument[]; settings: IngestSettings }>();

const port = parentPort;
if (!port) throw new Error("prepare-worker.ts runs as a worker thread only");

port.on("message", (msg: ToWorker) => {
  void handle(msg).catch((err: unknown) => {
    loaded.delete(msg.job);
    post({ kind: "failed", job: msg.job, error: errorMessage(err) });
  });
});

// Tells the pool this worker loaded its code and is ready for files.
port.postMessage({ kind: "ready" });

function post(msg: FromWorker, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(msg, transfer);
}

async function handle(msg: ToWorker): Promise<void> {
  if (msg.kind === "load") {
    const docs = (await loadTarget(msg.target, msg.maxBytes)).map((d) => prepareDocument(d, msg.settings, embedder.id, redact, documentIds));
    loaded.set(msg.job, { docs, settings: msg.settings });
    post({ kind: "loaded", job: msg.job, records: docs.map((d) => d.record) });
    return;
  }
  const file = loaded.get(msg.job);
  if (!file) throw new Error(`no loaded file for job ${msg.job}`);
  loaded.delete(msg.job);
  const docs: PreparedPayload[] = [];
  msg.known.forEach((known, index) => {
    if (known !== null) docs.push(prepareChunks(file.docs[index]!, file.settings, new Set(known), index));
  });
  post({ kind: "prepared", job: msg.job, docs }, docs.map((d) => d.fresh.buffer as ArrayBuffer));
}

function prepareChunks(prepared: PreparedDocument, settings: IngestSettings, known: ReadonlySet<string>, index: number): PreparedPayload {
  const chunks = chunkDocument(prepared.doc, settings).map((chunk) => ({ chunk, ...chunkTerms(chunk) }));
  const missing = chunks.filter((c) => !known.has(c.chunk.contentHash));
  const fresh = new Float32Array(missing.length * embedder.dimensions);
  missing.forEach((c, i) => fresh.set(embedder.embedSync(embeddingText(c.chunk)), i * embedder.dimensions));
  return { index, chunks, fresh };
}
