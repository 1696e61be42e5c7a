import { readdir, stat } from "node:fs/promises";
import { extname, join, resolve, sep } from "node:path";
import { LocalHashEmbedder } from "../src/adapters/local-embedder.js";
import { errorMessage } from "../src/errors.js";
import type { DocumentRepository } from "../src/ports/document-repository.js";
import { storedSourcePath } from "../src/assist/document-ids.js";
import { ingestPooled } from "./ingest-pooled.js";
import { loadTarget, type FileTarget } from "./load-target.js";
import { ingestDocuments, type IngestDeps, type IngestOutcome, type IngestSettings } from "./pipeline.js";
import type { PrepareSpec, RedactionSpec } from "./prepare-protocol.js";
import { PrepareWorkerPool } from "./worker-pool.js";

/** File endings picked up when walking a directory (files named explicitly are always tried). */
export const INGESTIBLE_EXTENSIONS = new Set([".pdf", ".docx", ".md", ".markdown", ".html", ".htm", ".txt", ".text", ".json", ".jsonl", ".ndjson", ".csv"]);

export interface IngestSummary {
  documents: number;
  chunks: number;
  added: number;
  updated: number;
  unchanged: number;
  embedded: number;
  pages: number;
  failed: number;
  pruned: number;
  errors: Array<{ file: string; error: string }>;
}

export interface ProgressEvent {
  files: number;
  totalFiles: number;
  pages: number;
  chunks: number;
  errors: number;
  currentFile: string;
}

export interface IngestPathsOptions {
  settings: IngestSettings;
  maxBytes: number;
  /** Delete documents that came from a given directory but whose file (or record) is gone. */
  prune?: boolean;
  onProgress?: (event: ProgressEvent) => void;
  /**
   * Worker threads that load, redact, chunk, analyze and embed files while this thread writes and indexes
   * (INGEST_WORKERS); 0 or unset ingests in-process. Workers are used only with the local embedder (others are
   * network-bound and stay here), for more than one file, and, when `deps.redact` is set, only if `redaction`
   * says how to rebuild that redactor in a worker.
   */
  workers?: number;
  /** The REDACT_PATTERNS and REDACT_POLICY `deps.redact` was built from (the engine's redactor), so workers redact identically. */
  redaction?: RedactionSpec;
  /** Runs after writes were committed, e.g. the vector index catching up while workers prepare the next files. */
  afterWrite?: () => Promise<unknown> | unknown;
}

/** Ingests files and directories (recursively); one bad file is reported and skipped, never half-stored. */
export async function ingestPaths(deps: IngestDeps, paths: readonly string[], options: IngestPathsOptions): Promise<IngestSummary> {
  const targets = await expandPaths(paths);
  const tally = new Tally(targets.length, options.onProgress);
  const pool = await startPool(deps, options, targets.length);
  if (pool) {
    try {
      await ingestPooled(deps, targets, options, pool, (target, result) => {
        tally.record(target, result);
        tally.progress(target.path);
      });
    } finally {
      await pool.close();
    }
  } else {
    for (const target of targets) {
      tally.progress(target.path);
      tally.record(target, await ingestOneFile(deps, target, options).catch((error: unknown) => ({ error })));
      await options.afterWrite?.();
    }
  }
  tally.finished();
  if (options.prune) {
    const roots = targets.flatMap((t) => (t.root ? [t.root] : []));
    const stored = (path: string): string => (deps.documentIds ? storedSourcePath(path, deps.documentIds) : path);
    tally.summary.pruned = await pruneMissing(deps.store, options.settings.collection, [...new Set(roots.map(stored))], tally.seen, new Set([...tally.failedFiles].map(stored)));
  }
  return tally.summary;
}

/**
 * A worker pool when `options` ask for one and workers can prepare exactly what this thread would. Workers that
 * cannot start leave the ingest in-process: slower, never different.
 */
async function startPool(deps: IngestDeps, options: IngestPathsOptions, files: number): Promise<PrepareWorkerPool | undefined> {
  const workers = options.workers ?? 0;
  if (workers < 1 || files < 2 || !(deps.embedder instanceof LocalHashEmbedder)) return undefined;
  if ((deps.redact && !options.redaction) || (deps.documentIds && !deps.documentIds.spec)) return undefined;
  const spec: PrepareSpec = {
    embedder: deps.embedder.options,
    ...(deps.redact ? { redaction: options.redaction } : {}),
    ...(deps.documentIds?.spec ? { documentIds: deps.documentIds.spec } : {}),
  };
  return PrepareWorkerPool.start(Math.min(workers, files), spec).catch(() => undefined);
}

async function ingestOneFile(deps: IngestDeps, target: FileTarget, options: IngestPathsOptions): Promise<IngestOutcome[]> {
  return ingestDocuments(deps, await loadTarget(target, options.maxBytes), options.settings);
}

/** The running summary and progress of one `ingestPaths` call. */
class Tally {
  readonly summary = emptySummary();
  readonly seen = new Set<string>();
  readonly failedFiles = new Set<string>();
  private files = 0;
  private chunks = 0;

  constructor(private readonly totalFiles: number, private readonly onProgress?: (event: ProgressEvent) => void) {}

  record(target: FileTarget, result: IngestOutcome[] | { error: unknown }): void {
    this.files++;
    if ("error" in result) {
      this.failedFiles.add(target.path);
      this.summary.failed += 1;
      this.summary.errors.push({ file: target.path, error: errorMessage(result.error) });
      return;
    }
    for (const o of result) {
      this.seen.add(o.documentId);
      addOutcome(this.summary, o);
      if (o.status !== "unchanged") this.chunks += o.chunks;
    }
  }

  finished(): void {
    this.files = this.totalFiles;
    this.progress("");
  }

  progress(currentFile: string): void {
    const s = this.summary;
    this.onProgress?.({ files: this.files, totalFiles: this.totalFiles, pages: s.pages, chunks: this.chunks, errors: s.failed, currentFile });
  }
}

/** Prunes only the ingested collection: a document is (collection, id), and other collections are not this run's. */
async function pruneMissing(store: DocumentRepository, collection: string, roots: string[], seen: Set<string>, failedFiles: Set<string>): Promise<number> {
  let pruned = 0;
  for (const root of roots) {
    const prefix = root.endsWith(sep) ? root : root + sep;
    for (const doc of await store.listDocuments({ collection, sourcePathPrefix: prefix, limit: 1_000_000 })) {
      if (seen.has(doc.id) || (doc.sourcePath && failedFiles.has(doc.sourcePath))) continue;
      if (await store.deleteDocument(doc.collection, doc.id)) pruned += 1;
    }
  }
  return pruned;
}

async function expandPaths(paths: readonly string[]): Promise<FileTarget[]> {
  const out: FileTarget[] = [];
  for (const p of paths) {
    const abs = resolve(p);
    const info = await stat(abs).catch(() => undefined);
    if (!info) throw new Error(`${p}: no such file or directory`);
    if (info.isDirectory()) for (const file of await walk(abs)) out.push({ path: file, root: abs });
    else out.push({ path: abs });
  }
  return out;
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.startsWith(".") || e.name === "node_modules") continue;
    const full = join(dir, e.name);
    if (e.isDirectory()) files.push(...(await walk(full)));
    else if (e.isFile() && INGESTIBLE_EXTENSIONS.has(extname(e.name).toLowerCase())) files.push(full);
  }
  return files;
}

function emptySummary(): IngestSummary {
  return { documents: 0, chunks: 0, added: 0, updated: 0, unchanged: 0, embedded: 0, pages: 0, failed: 0, pruned: 0, errors: [] };
}

function addOutcome(summary: IngestSummary, o: IngestOutcome): void {
  summary.documents += 1;
  summary.chunks += o.chunks;
  summary.embedded += o.embedded;
  summary.pages += o.pages;
  summary[o.status] += 1;
}
