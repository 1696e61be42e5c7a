import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createAnswering, type Engine } from "../../src/container.js";
import { FileUploadStore } from "../../src/adapters/file-upload-store.js";
import type { RetrievalMode } from "../../src/retrieval/retrieve.js";
import type { Citation } from "../../src/domain/answer.js";
import type { RawDataset } from "../../src/eval/raw-dataset.js";
import type { PageRef, RawSystem } from "../../src/eval/pdf-scoring.js";
import { documentIdFromPath } from "../../ingest/loaders/load-file.js";
import { engineIngestJobs } from "../../ingest/engine-jobs.js";
import { LangChainReference, loadPdfPages, type ReferenceDoc } from "./langchain-reference.js";
import { referenceAnswer } from "./reference-answer.js";

/**
 * Ingests a raw dataset's files the way an upload is ingested: each file is stored in the upload store and run
 * through the one ingestion job processor (parse sandbox included) that `POST /documents` jobs run, with the
 * document id derived from the file name as the upload route derives it.
 */
export async function ingestAsUploads(engine: Engine, dataset: RawDataset, log: (m: string) => void): Promise<void> {
  const uploads = new FileUploadStore(engine.dataDir);
  const { processor } = engineIngestJobs(engine, uploads);
  for (const file of dataset.files) {
    const t0 = performance.now();
    const saved = await uploads.save(readFileSync(join(dataset.documentsDir, file)), file);
    const result = await processor(
      { uploadPath: saved.path, fileName: file, documentId: documentIdFromPath(file), contentHash: saved.contentHash, collection: engine.config.DEFAULT_COLLECTION },
      () => undefined,
    );
    log(`ingested ${file}: ${result.chunks} chunks in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  await engine.indexes.catchUp();
}

/** A citation of ours as the scorer reads it: its document (the file name of an upload) and PDF page. */
export function citationRef(c: Pick<Citation, "documentId" | "page">): PageRef {
  return { file: c.documentId, ...(c.page !== undefined ? { page: c.page } : {}) };
}

/** The product in one retrieval mode, in process (the same answer use case `/answer` serves). */
export async function productRawSystem(engine: Engine, mode: RetrievalMode): Promise<RawSystem> {
  const answering = await createAnswering(engine, { mode });
  return {
    name: mode,
    search: async (q, k) =>
      (await answering.retrieve(q, { topK: k })).chunks.map((c) => ({
        file: c.documentId,
        ...(c.pageStart !== undefined ? { page: c.pageStart } : {}),
        ...(c.pageEnd !== undefined ? { pageEnd: c.pageEnd } : {}),
      })),
    answer: async (q) => {
      const a = await answering.answer({ question: q });
      return { text: a.answer, citations: a.citations.map(citationRef), answered: a.answerable };
    },
  };
}

/**
 * The LangChain reference over the same files: PDFLoader per page, RecursiveCharacterTextSplitter 1000/200,
 * HNSWLib, top-4, the engine's embedder, an extractive answer. Non-PDF files are read as UTF-8 text, one document.
 */
export async function referenceRawSystem(engine: Engine, dataset: RawDataset, log: (m: string) => void): Promise<RawSystem> {
  const t0 = performance.now();
  const docs: ReferenceDoc[] = [];
  for (const file of dataset.files) {
    const path = join(dataset.documentsDir, file);
    if (/\.pdf$/i.test(file)) docs.push(...(await loadPdfPages(path, file)));
    else docs.push({ id: file, title: "", text: readFileSync(path, "utf8") });
  }
  const ref = await LangChainReference.build(docs, engine.embedder);
  log(`LangChain reference built over ${docs.length} pages in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return {
    name: "langchainReference",
    search: async (q, k) => (await ref.search(q, k)).map((h) => ({ file: h.documentId, ...(h.page !== undefined ? { page: h.page } : {}) })),
    answer: async (q) => {
      const a = await referenceAnswer(ref, q);
      return { text: a.text, citations: a.citations.map(citationRef), answered: a.answered };
    },
  };
}
