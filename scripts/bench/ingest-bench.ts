import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { basename } from "node:path";
import type { Engine } from "../../src/container.js";
import { ingestPaths } from "../../ingest/ingest-files.js";
import { loadFile } from "../../ingest/loaders/load-file.js";
import { ingestDocuments } from "../../ingest/pipeline.js";
import { round } from "./stats.js";

/** End-to-end ingest of one benchmark size into a fresh DATA_DIR. */
export interface IngestResult {
  documents: number;
  chunks: number;
  failed: number;
  /** load → chunk → embed → store (ingestPaths). */
  pipelineSeconds: number;
  /** Bringing the HNSW index up to date with the store (VectorCache.catchUp). */
  indexSeconds: number;
  totalSeconds: number;
  chunksPerSecond: number;
  /** Writing the HNSW file and manifest (not part of chunks/s: it happens on close or every INDEX_SAVE_EVERY changes). */
  saveSeconds: number;
  /** Second ingest of the same, unchanged files (every document a no-op). */
  reingestSeconds: number;
  reingestUnchanged: number;
}

/** Ingests `files` end to end (load→chunk→embed→store→index), then again unchanged. */
export async function benchIngest(engine: Engine, files: readonly string[]): Promise<IngestResult> {
  const deps = { store: engine.store, embedder: engine.embedder };
  const options = { settings: engine.ingestSettings(), maxBytes: engine.config.MAX_FILE_BYTES };
  const t0 = performance.now();
  const summary = await ingestPaths(deps, files, options);
  const t1 = performance.now();
  await engine.vectors.catchUp();
  const t2 = performance.now();
  await engine.vectors.save();
  const t3 = performance.now();
  const again = await ingestPaths(deps, files, options);
  await engine.vectors.catchUp();
  const t4 = performance.now();
  const total = (t2 - t0) / 1000;
  return {
    documents: summary.documents,
    chunks: summary.chunks,
    failed: summary.failed,
    pipelineSeconds: round((t1 - t0) / 1000),
    indexSeconds: round((t2 - t1) / 1000),
    totalSeconds: round(total),
    chunksPerSecond: round(summary.chunks / total, 1),
    saveSeconds: round((t3 - t2) / 1000),
    reingestSeconds: round((t4 - t3) / 1000),
    reingestUnchanged: again.unchanged,
  };
}

export interface PdfResult {
  files: string[];
  pages: number;
  chunks: number;
  /** Parsing alone (pdf-parse, header/footer removal). */
  loadSeconds: number;
  loadPagesPerSecond: number;
  /** load → chunk → embed → store → index. */
  totalSeconds: number;
  pagesPerSecond: number;
  skipped?: string;
}

/** Real PDFs shipped by Debian packages, when installed (gzipped ones are unpacked in memory). */
export const PDF_CANDIDATES = [
  "/usr/share/debian-reference/debian-reference.en.pdf",
  "/usr/share/doc/debian/FAQ/debian-faq.en.pdf.gz",
  "/usr/share/doc/libtasn1-doc/libtasn1.pdf",
  "/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf",
];

/** PDF pages/s end to end on whichever real PDFs exist; skipped with a note when none does. */
export async function benchPdf(engine: Engine, candidates: readonly string[]): Promise<PdfResult> {
  const inputs: Array<{ path: string; bytes: Buffer }> = [];
  for (const path of candidates) {
    try {
      const raw = readFileSync(path);
      inputs.push({ path, bytes: path.endsWith(".gz") ? gunzipSync(raw) : raw });
    } catch {
      // Not installed: the report lists which files were measured.
    }
  }
  if (inputs.length === 0) {
    return { files: [], pages: 0, chunks: 0, loadSeconds: 0, loadPagesPerSecond: 0, totalSeconds: 0, pagesPerSecond: 0,
      skipped: "no PDF found: install one with `apt-get install debian-reference-en` (or debian-faq)" };
  }
  const t0 = performance.now();
  const loaded = [];
  for (const { path, bytes } of inputs) {
    const name = basename(path).replace(/\.gz$/, "");
    loaded.push(await loadFile({ bytes, fileName: name, sourcePath: path, id: name }, { maxBytes: engine.config.MAX_FILE_BYTES }));
  }
  const t1 = performance.now();
  let chunks = 0;
  for (const docs of loaded) {
    const outcomes = await ingestDocuments({ store: engine.store, embedder: engine.embedder }, docs, engine.ingestSettings("pdf"));
    chunks += outcomes.reduce((s, o) => s + o.chunks, 0);
  }
  await engine.vectors.catchUp();
  const t2 = performance.now();
  const pages = loaded.flat().reduce((s, d) => s + (d.pages ?? 0), 0);
  return {
    files: inputs.map((i) => i.path),
    pages,
    chunks,
    loadSeconds: round((t1 - t0) / 1000),
    loadPagesPerSecond: round(pages / ((t1 - t0) / 1000), 1),
    totalSeconds: round((t2 - t0) / 1000),
    pagesPerSecond: round(pages / ((t2 - t0) / 1000), 1),
  };
}
