import { readFile, stat } from "node:fs/promises";
import { basename, relative } from "node:path";
import type { LoadedDocument } from "../src/domain/document.js";
import { UnsupportedDocumentError } from "../src/errors.js";
import { documentIdFromPath, loadFile } from "./loaders/load-file.js";

/** A file to ingest, as found by walking the paths given. */
export interface FileTarget {
  path: string;
  /** Directory argument the file was found under (ids are relative to it), if any. */
  root?: string;
}

/**
 * Reads and loads one file into documents (ids relative to the directory it was found under). Shared by the
 * in-process ingest and the ingest worker threads, so both name and reject files identically.
 */
export async function loadTarget(target: FileTarget, maxBytes: number): Promise<LoadedDocument[]> {
  const info = await stat(target.path);
  if (info.size > maxBytes) {
    throw new UnsupportedDocumentError(target.path, `file is ${info.size} bytes, over the limit of ${maxBytes}`, { status: 413 });
  }
  const bytes = await readFile(target.path);
  const id = documentIdFromPath(target.root ? relative(target.root, target.path) : basename(target.path));
  return loadFile({ bytes, fileName: basename(target.path), sourcePath: target.path, id }, { maxBytes });
}
