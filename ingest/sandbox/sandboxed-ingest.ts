import type { ChunkInput, DocumentWrite } from "../../src/ports/document-repository.js";
import { decideDocument, embeddingText, preparedOutcome, type IngestDeps, type IngestOutcome, type WriteDecision } from "../pipeline.js";
import type { ParseSandbox, SandboxedDocument } from "./parse-sandbox.js";
import type { SandboxRequest } from "./sandbox-protocol.js";
import { yieldToLoop } from "./yield.js";

/**
 * Chunks written per transaction before the event loop gets a turn (~25 ms of SQLite writes at the default chunk
 * size; one document is always written whole, in one transaction, however large).
 */
const WRITE_SLICE_CHUNKS = 256;

/**
 * Ingests one upload whose parsing runs in the parse sandbox: this process only plans (reads the store), embeds
 * with a remote embedder when the child could not, and writes, in slices that yield to the event loop in between.
 * @throws the sandbox's UnsupportedDocumentError (permanent) when the file cannot be parsed; nothing is written then.
 */
export async function ingestInSandbox(
  deps: IngestDeps,
  sandbox: ParseSandbox,
  request: SandboxRequest,
  progress: (percent: number) => Promise<void> | void,
): Promise<IngestOutcome[]> {
  let decisions: WriteDecision[] = [];
  const file = await sandbox.prepare(request, async (records) => {
    decisions = [];
    for (const record of records) decisions.push(await decideDocument(deps.store, record));
    return decisions.map((d) => ("known" in d ? [...d.known.keys()] : null));
  });
  await progress(30);
  const outcomes: IngestOutcome[] = [];
  let group: Array<{ write: DocumentWrite; outcome: IngestOutcome }> = [];
  let groupChunks = 0;
  const flush = async (): Promise<void> => {
    const writes = group;
    group = [];
    groupChunks = 0;
    await deps.store.replaceDocuments(writes.map((w) => w.write));
    outcomes.push(...writes.map((w) => w.outcome));
    await progress(30 + Math.floor((65 * outcomes.length) / Math.max(1, file.records.length)));
    await yieldToLoop();
  };
  for (const [i, record] of file.records.entries()) {
    const decision = decisions[i]!;
    if ("outcome" in decision) {
      outcomes.push(decision.outcome);
      continue;
    }
    const written = file.written.get(i);
    if (written) {
      outcomes.push(written);
      continue;
    }
    const prepared = file.docs.get(i);
    if (!prepared) throw new Error(`the parse child returned no chunks for document ${i + 1} of ${request.fileName}`);
    const { inputs, embedded } = await chunkInputs(deps, prepared, decision.known);
    group.push({ write: { doc: record, chunks: inputs }, outcome: preparedOutcome(record, inputs, decision.existed, embedded) });
    groupChunks += inputs.length;
    if (groupChunks >= WRITE_SLICE_CHUNKS) await flush();
  }
  if (group.length > 0) await flush();
  return outcomes;
}

/** Gives each chunk its stored vector when its hash is known, else the next fresh one (from the child or embedded here). */
async function chunkInputs(deps: IngestDeps, doc: SandboxedDocument, known: ReadonlyMap<string, Float32Array>): Promise<{ inputs: ChunkInput[]; embedded: number }> {
  const missing = doc.chunks.filter((c) => !known.has(c.chunk.contentHash));
  const fresh = doc.fresh ? splitVectors(doc.fresh, deps.embedder.dimensions) : await deps.embedder.embedDocuments(missing.map((c) => embeddingText(c.chunk)));
  if (fresh.length !== missing.length) throw new Error(`the parse child returned ${fresh.length} vectors for ${missing.length} new chunks`);
  let next = 0;
  const inputs = doc.chunks.map((c): ChunkInput => ({ ...c, vector: known.get(c.chunk.contentHash) ?? fresh[next++]! }));
  return { inputs, embedded: missing.length };
}

function splitVectors(parts: readonly Float32Array[], dims: number): Float32Array[] {
  const out: Float32Array[] = [];
  for (const part of parts) for (let o = 0; o < part.length; o += dims) out.push(part.subarray(o, o + dims));
  return out;
}
