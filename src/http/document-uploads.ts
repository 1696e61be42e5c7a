import { open, rm } from "node:fs/promises";
import multer from "multer";
import type { RequestHandler } from "express";
import { documentIdFromPath } from "../../ingest/loaders/load-file.js";
import { detectFormatOfHead, type DetectedFormat } from "../../ingest/loaders/detect-type.js";
import { InvalidInputError, UnsupportedDocumentError, errorMessage } from "../errors.js";
import type { StoredUpload } from "../ports/upload-store.js";
import type { RouteDeps } from "./app-deps.js";
import { assertWritableDocumentId, sanitizeFileName } from "./file-name.js";
import { PayloadTooLargeError } from "./http-errors.js";
import { DiskUploadStorage } from "./disk-upload-storage.js";

export const MAX_FILES_PER_UPLOAD = 20;

/** Bytes read from the start of a streamed upload to detect its type (the whole file is never read here). */
const HEAD_BYTES = 64 * 1024;

/** A file as received: client-supplied name and either its bytes (JSON body) or the temp file it was streamed to. */
export type UploadCandidate = { originalName: string } & ({ bytes: Buffer } | { path: string; size: number });

export interface UploadOptions {
  collection: string;
  /** Document id for a single file (PUT path id, or the `id` field). */
  id?: string;
  title?: string;
  replace?: boolean;
}

/** A file that passed every check and is ready to be stored and queued. */
export interface PreparedUpload {
  fileName: string;
  documentId: string;
  format: DetectedFormat;
  source: { bytes: Buffer } | { path: string };
}

export interface QueuedJob {
  id: string;
  documentId: string;
  deduplicated: boolean;
  /** Format detected from the content (a PDF named .md reports "pdf"). */
  format: DetectedFormat;
}

/**
 * Multipart parser: files streamed to temp files in `incomingDir()` (owner-only, under DATA_DIR; bounded by
 * maxFileBytes each, 20 at most), UTF-8 file names. The temp files are removed when the response ends, whatever
 * happened: those a job was queued for were moved into the upload store by then.
 */
export function multipartUpload(maxFileBytes: number, incomingDir: () => Promise<string>): RequestHandler {
  const parse = multer({
    storage: new DiskUploadStorage(incomingDir),
    defParamCharset: "utf8",
    limits: { fileSize: maxFileBytes, files: MAX_FILES_PER_UPLOAD, fields: 10, fieldSize: 64 * 1024, parts: MAX_FILES_PER_UPLOAD + 10 },
  }).array("file", MAX_FILES_PER_UPLOAD);
  return (req, res, next) => {
    res.once("close", () => {
      const files = Array.isArray(req.files) ? req.files : [];
      for (const f of files) void rm(f.path, { force: true }).catch(() => undefined);
    });
    parse(req, res, next);
  };
}

/** Turns multer and busboy failures into 413/400 errors that say what was wrong. */
export function fromMultipartError(err: unknown, maxFileBytes: number): Error {
  if (!(err instanceof multer.MulterError)) {
    return new InvalidInputError(`malformed multipart body: ${errorMessage(err)}`, { cause: err });
  }
  // multer 2 adds the client's file name to file errors; its type definitions do not declare it yet.
  const rawName: unknown = Reflect.get(err, "filename");
  const file = typeof rawName === "string" ? safeLabel(rawName) : "file";
  switch (err.code) {
    case "LIMIT_FILE_SIZE":
      return new PayloadTooLargeError(`${file}: file is over the limit of ${maxFileBytes} bytes`, { file, limit: maxFileBytes });
    case "LIMIT_FILE_COUNT":
      return new InvalidInputError(`too many files: at most ${MAX_FILES_PER_UPLOAD} per request`);
    case "LIMIT_UNEXPECTED_FILE":
      return new InvalidInputError(`unexpected file field '${err.field ?? ""}': send files in the 'file' field`);
    default:
      return new InvalidInputError(`invalid multipart body: ${err.message}`, { cause: err });
  }
}

function safeLabel(name: string): string {
  try {
    return sanitizeFileName(name);
  } catch {
    return "file";
  }
}

/**
 * Checks every file before anything is stored: a safe name, the size, the type BY CONTENT (a PDF named .md is a
 * PDF; an executable named .pdf is 415; an empty file is 422), a valid and unique document id.
 * @throws on the first invalid file, naming it: one bad file rejects the whole request.
 */
export async function prepareUploads(candidates: readonly UploadCandidate[], options: UploadOptions, maxFileBytes: number): Promise<PreparedUpload[]> {
  if (candidates.length === 0) throw new InvalidInputError("no file uploaded: send one or more files in the 'file' field");
  if (options.id !== undefined && candidates.length > 1) throw new InvalidInputError("'id' can only be given with a single file");
  const seen = new Set<string>();
  const prepared: PreparedUpload[] = [];
  for (const c of candidates) {
    const fileName = sanitizeFileName(c.originalName);
    const size = "bytes" in c ? c.bytes.length : c.size;
    if (size > maxFileBytes) {
      throw new PayloadTooLargeError(`${fileName}: file is over the limit of ${maxFileBytes} bytes`, { file: fileName, limit: maxFileBytes });
    }
    const head = "bytes" in c ? c.bytes.subarray(0, HEAD_BYTES) : await readHead(c.path);
    const format = contentFormat(head, size, fileName);
    const documentId = assertWritableDocumentId(options.id ?? documentIdFromPath(fileName), options.id ? "" : ` (derived from file '${fileName}'; send an 'id' field)`);
    if (seen.has(documentId)) throw new InvalidInputError(`two files map to the same document id '${documentId}'`);
    seen.add(documentId);
    prepared.push({ fileName, documentId, format, source: "bytes" in c ? { bytes: c.bytes } : { path: c.path } });
  }
  return prepared;
}

async function readHead(path: string): Promise<Buffer> {
  const file = await open(path, "r");
  try {
    const { buffer, bytesRead } = await file.read({ buffer: Buffer.alloc(HEAD_BYTES), position: 0 });
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

/** detectFormat on the first bytes, with HTTP statuses: empty → 422, wrong or binary content → 415 Unsupported Media Type. */
function contentFormat(head: Buffer, size: number, fileName: string): DetectedFormat {
  try {
    return detectFormatOfHead(head, size, fileName);
  } catch (err) {
    if (err instanceof UnsupportedDocumentError && err.details?.reason !== "empty file") {
      throw new UnsupportedDocumentError(fileName, String(err.details?.reason ?? err.message), { status: 415, cause: err });
    }
    throw err;
  }
}

/**
 * Stores the files, then queues one ingestion job per file. A failed save removes the files already saved; a
 * failed enqueue removes the files not yet queued. Stops before storing anything once `signal` is aborted.
 */
export async function enqueueUploads(deps: RouteDeps, prepared: readonly PreparedUpload[], options: UploadOptions, signal: AbortSignal): Promise<QueuedJob[]> {
  const saved: StoredUpload[] = [];
  try {
    for (const p of prepared) {
      signal.throwIfAborted();
      saved.push("bytes" in p.source ? await deps.uploads.save(p.source.bytes, p.fileName) : await deps.uploads.adopt(p.source.path, p.fileName));
    }
    signal.throwIfAborted();
  } catch (err) {
    await removeAll(deps, saved);
    throw err;
  }
  const jobs: QueuedJob[] = [];
  for (const [i, p] of prepared.entries()) {
    const upload = saved[i] as StoredUpload;
    try {
      const result = await deps.queue.enqueue({
        uploadPath: upload.path,
        fileName: p.fileName,
        documentId: p.documentId,
        contentHash: upload.contentHash,
        collection: options.collection,
        ...(options.title !== undefined ? { title: options.title } : {}),
        ...(options.replace ? { replace: true } : {}),
      });
      (result.deduplicated ? deps.httpMetrics.jobsDeduplicated : deps.httpMetrics.jobsEnqueued).inc();
      jobs.push({ id: result.id, documentId: p.documentId, deduplicated: result.deduplicated, format: p.format });
    } catch (err) {
      await removeAll(deps, saved.slice(i));
      throw err;
    }
  }
  return jobs;
}

async function removeAll(deps: RouteDeps, uploads: readonly StoredUpload[]): Promise<void> {
  await Promise.all(uploads.map((u) => deps.uploads.remove(u.path).catch(() => undefined)));
}
