import type { StoredDocument } from "../domain/document.js";
import type { CuratedStore } from "../ports/curated-store.js";
import type { ChunkInput, DocumentRecord, DocumentRepository } from "../ports/document-repository.js";

/** A repository `migrate-store` can copy into: the port plus keeping each document's original times. */
export type CopyTarget = DocumentRepository & {
  restoreTimes(items: ReadonlyArray<{ collection: string; id: string; createdAt: string; updatedAt: string }>): Promise<void>;
};

export interface DocumentCopyReport {
  documents: number;
  failedDocuments: number;
  chunks: number;
}

/** Documents per read page and write transaction: bounded memory, few round trips. */
const PAGE = 50;

function recordOf(doc: StoredDocument): DocumentRecord {
  const { chunkCount: _c, createdAt: _a, updatedAt: _u, status: _s, lastError: _e, ...record } = doc;
  return record;
}

/**
 * Copies every document with its chunks, analyzer terms and stored vectors (never re-embedded), failed documents with
 * their error, through the repository ports, so each store builds its own derived structures
 * (FTS5 or postings, statistics, change log). Document times are restored afterwards.
 */
export async function copyDocuments(from: DocumentRepository, to: CopyTarget): Promise<DocumentCopyReport> {
  const report: DocumentCopyReport = { documents: 0, failedDocuments: 0, chunks: 0 };
  const stamp = await from.embedderStamp();
  if (stamp) await to.setEmbedderStamp(stamp);
  for (let offset = 0; ; offset += PAGE) {
    const page = await from.listDocuments({ limit: PAGE, offset });
    if (page.length === 0) break;
    const writes = [];
    for (const doc of page) {
      if (doc.status === "failed") {
        await to.markFailed(doc.collection, doc.id, doc.lastError ?? "failed", recordOf(doc));
        report.failedDocuments += 1;
        continue;
      }
      const chunks = await chunkInputs(from, doc);
      writes.push({ doc: recordOf(doc), chunks });
      report.chunks += chunks.length;
    }
    if (writes.length > 0) await to.replaceDocuments(writes);
    await to.restoreTimes(page);
    report.documents += page.length;
  }
  return report;
}

async function chunkInputs(from: DocumentRepository, doc: StoredDocument): Promise<ChunkInput[]> {
  const chunks = await from.getDocumentChunks(doc.collection, doc.id);
  const ids = chunks.map((c) => c.id);
  const [vectors, terms] = await Promise.all([from.getVectors(ids), from.getChunkTerms(ids)]);
  return chunks.map((chunk) => {
    const vector = vectors.get(chunk.id);
    const t = terms.get(chunk.id);
    if (!vector || !t) throw new Error(`chunk ${chunk.id} of '${doc.collection}/${doc.id}' has no stored vector or terms`);
    return { chunk, vector, titleTokens: t.titleTokens, bodyTokens: t.bodyTokens };
  });
}

/** Copies every curated answer with all its versions (numbers, authors, proposers and times kept). Returns [answers, versions]. */
export async function copyCurated(from: CuratedStore, to: CuratedStore): Promise<{ answers: number; versions: number }> {
  let answers = 0;
  let versions = 0;
  for (let offset = 0; ; offset += PAGE) {
    const { items } = await from.list({ limit: PAGE, offset });
    if (items.length === 0) break;
    for (const item of items) {
      const full = await from.get(item.collection, item.id);
      for (const v of full?.versions ?? []) {
        await to.addVersion({
          collection: item.collection, id: item.id, question: v.question, answer: v.answer, author: v.author,
          ...(v.proposedBy !== undefined ? { proposedBy: v.proposedBy } : {}), at: v.createdAt,
        }, v.version > 1);
        versions += 1;
      }
      answers += 1;
    }
  }
  return { answers, versions };
}
