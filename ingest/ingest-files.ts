import { readFile, readdir, stat } from "node:fs/promises";
import { basename, extname, join, relative, resolve, sep } from "node:path";
import { UnsupportedDocumentError, errorMessage } from "../src/errors.js";
import type { DocumentStore } from "../src/ports/document-store.js";
import { documentIdFromPath, loadFile } from "./loaders/load-file.js";
import { ingestDocuments, type IngestDeps, type IngestOutcome, type IngestSettings } from "./pipeline.js";

/** File endings picked up when walking a directory (files named explicitly are always tried). */
export const INGESTIBLE_EXTENSIONS = new Set([".pdf", ".md", ".markdown", ".html", ".htm", ".txt", ".text", ".json", ".jsonl", ".ndjson", ".csv"]);

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
}

interface FileTarget {
  path: string;
  /** Directory argument the file was found under (ids are relative to it), if any. */
  root?: string;
}

/** Ingests files and directories (recursively); one bad file is reported and skipped, never half-stored. */
export async function ingestPaths(deps: IngestDeps, paths: readonly string[], options: IngestPathsOptions): Promise<IngestSummary> {
  const targets = await expandPaths(paths);
  const summary = emptySummary();
  const seen = new Set<string>();
  const failedFiles = new Set<string>();
  let chunks = 0;
  for (const [i, target] of targets.entries()) {
    options.onProgress?.({ files: i, totalFiles: targets.length, pages: summary.pages, chunks, errors: summary.failed, currentFile: target.path });
    try {
      const outcomes = await ingestOneFile(deps, target, options);
      for (const o of outcomes) {
        seen.add(o.documentId);
        addOutcome(summary, o);
        if (o.status !== "unchanged") chunks += o.chunks;
      }
    } catch (err) {
      failedFiles.add(target.path);
      summary.failed += 1;
      summary.errors.push({ file: target.path, error: errorMessage(err) });
    }
  }
  options.onProgress?.({ files: targets.length, totalFiles: targets.length, pages: summary.pages, chunks, errors: summary.failed, currentFile: "" });
  if (options.prune) {
    const roots = targets.flatMap((t) => (t.root ? [t.root] : []));
    summary.pruned = pruneMissing(deps.store, [...new Set(roots)], seen, failedFiles);
  }
  return summary;
}

async function ingestOneFile(deps: IngestDeps, target: FileTarget, options: IngestPathsOptions): Promise<IngestOutcome[]> {
  const info = await stat(target.path);
  if (info.size > options.maxBytes) {
    throw new UnsupportedDocumentError(target.path, `file is ${info.size} bytes, over the limit of ${options.maxBytes}`, { status: 413 });
  }
  const bytes = await readFile(target.path);
  const id = documentIdFromPath(target.root ? relative(target.root, target.path) : basename(target.path));
  const docs = await loadFile({ bytes, fileName: basename(target.path), sourcePath: target.path, id }, { maxBytes: options.maxBytes });
  return ingestDocuments(deps, docs, options.settings);
}

function pruneMissing(store: DocumentStore, roots: string[], seen: Set<string>, failedFiles: Set<string>): number {
  let pruned = 0;
  for (const root of roots) {
    const prefix = root.endsWith(sep) ? root : root + sep;
    for (const doc of store.listDocuments({ sourcePathPrefix: prefix, limit: 1_000_000 })) {
      if (seen.has(doc.id) || (doc.sourcePath && failedFiles.has(doc.sourcePath))) continue;
      if (store.deleteDocument(doc.id)) pruned += 1;
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
