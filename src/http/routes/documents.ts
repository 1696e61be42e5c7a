import { Router, type Request, type RequestHandler, type Response } from "express";
import { z } from "zod";
import { InvalidInputError, NotFoundError, errorMessage } from "../../errors.js";
import type { AuditAction, AuditEntry } from "../../ports/document-repository.js";
import type { DocumentPage } from "../api-types.js";
import type { RouteDeps } from "../app-deps.js";
import { isJsonRequest, runMiddleware } from "../body.js";
import { resolveCollection } from "../collections.js";
import { listVisibleDocuments } from "../document-listing.js";
import { enqueueUploads, fromMultipartError, multipartUpload, prepareUploads, type UploadCandidate, type UploadOptions } from "../document-uploads.js";
import { assertLookupId, assertWritableDocumentId, slugify } from "../file-name.js";
import { CuratedDocumentError, DocumentBusyError, UnsupportedMediaTypeError } from "../http-errors.js";
import { requestContext } from "../request-context.js";
import { parseInput } from "../validate.js";

const COLLECTION = z.string().regex(/^[\w.-]{1,64}$/, "must be 1-64 letters, digits, '_', '.', '-'");
const TITLE = z.string().trim().min(1).max(500);

const multipartFields = z.object({ collection: COLLECTION.optional(), id: z.string().min(1).max(200).optional(), title: TITLE.optional() });
const jsonDocument = (maxChars: number) =>
  z.object({
    id: z.string().min(1).max(200).optional(),
    title: TITLE,
    text: z.string().max(maxChars).regex(/\S/, "must not be blank"),
    collection: COLLECTION.optional(),
  });
const collectionQuery = z.object({ collection: COLLECTION.optional() }).loose();
const listQuery = z.object({
  collection: COLLECTION.optional(),
  status: z.enum(["ready", "processing", "failed"]).optional(),
  q: z.string().trim().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

/** Refuses a `/documents` write that would replace or delete a curated answer's document (see CuratedDocumentError). */
function assertNotCurated(collection: string, id: string, stored: { sourceType?: string } | undefined): void {
  if (stored?.sourceType === "curated") throw new CuratedDocumentError(id, collection);
}

/** Express 5 `*id` wildcards capture the segments of the rest of the path. */
function pathId(req: Request): string {
  const raw: unknown = req.params.id;
  return Array.isArray(raw) ? raw.map(String).join("/") : String(raw ?? "");
}

type ReceivedOptions = Omit<UploadOptions, "collection"> & { collection?: string };

/** The stored form of an id the client sent (see AppDeps.documentIds). */
function storedId(deps: RouteDeps, rawId: string): string {
  return deps.documentIds ? deps.documentIds.toStored(rawId) : rawId;
}

/** A title with personal data never reaches the job payload (the pipeline redacts the stored title the same way). */
function withRedactedTitle(deps: RouteDeps, options: UploadOptions): UploadOptions {
  return deps.redactTitle && options.title !== undefined ? { ...options, title: deps.redactTitle(options.title, options.collection) } : options;
}

/**
 * Ids and file names with personal data never reach the job payload, the upload directory or the store: the explicit
 * id and each file's name (from which ids are derived) are mapped to their stored form, extension kept.
 */
function withStoredIds(deps: RouteDeps, received: { candidates: UploadCandidate[]; options: ReceivedOptions }): { candidates: UploadCandidate[]; options: ReceivedOptions } {
  if (!deps.documentIds) return received;
  const candidates = received.candidates.map((c) => ({ ...c, originalName: storedId(deps, c.originalName.split(/[\\/]/).pop() ?? c.originalName) }));
  const { id, ...rest } = received.options;
  return { candidates, options: { ...rest, ...(id !== undefined ? { id: storedId(deps, id) } : {}) } };
}

type Handler = (req: Request, res: Response) => Promise<void> | void;

/**
 * Documents: upload (multipart or JSON) → 202 with queued jobs; replace, delete, list, show. A document is
 * `(collection, id)`; each route resolves the collection with `resolveCollection`, so a key only ever reaches its own
 * collections' documents and anything else answers the same 404 as a missing document.
 */
export function documentRoutes(deps: RouteDeps): Router {
  const router = Router();
  const multipart = multipartUpload(deps.limits.maxFileBytes, () => deps.uploads.incomingDir());
  router.post("/documents", createDocuments(deps, multipart));
  router.put("/documents/*id", replaceDocument(deps, multipart));
  router.delete("/documents/*id", deleteDocument(deps));
  router.get("/documents", listDocuments(deps));
  router.get("/documents/*id", showDocument(deps));
  return router;
}

/** Reads either body form into files and options; `fixedId` is the PUT path id. */
async function receive(deps: RouteDeps, multipart: RequestHandler, req: Request, res: Response, fixedId?: string): Promise<{ candidates: UploadCandidate[]; options: ReceivedOptions }> {
  if (req.is("multipart/form-data")) {
    await runMiddleware(multipart, req, res).catch((err: unknown) => Promise.reject(fromMultipartError(err, deps.limits.maxFileBytes)));
    const fields = parseInput(multipartFields, { ...req.body }, "form fields");
    const files = Array.isArray(req.files) ? req.files : [];
    const candidates = files.map((f) => ({ originalName: f.originalname, path: f.path, size: f.size }));
    return { candidates, options: { ...fields, ...sameId(fields.id, fixedId) } };
  }
  if (isJsonRequest(req)) {
    await runMiddleware(deps.jsonBody, req, res);
    const body = parseInput(jsonDocument(deps.limits.maxBodyBytes), req.body, "body");
    const id = sameId(body.id, fixedId).id;
    // Saved as text with the title as its first line, under a readable name.
    const stem = id !== undefined ? id.replace(/[/\\]/g, "_") : slugify(body.title);
    const candidate = { originalName: `${stem}.txt`, bytes: Buffer.from(`${body.title}\n\n${body.text}`, "utf8") };
    const options: ReceivedOptions = { title: body.title, ...(id !== undefined ? { id } : {}), ...(body.collection ? { collection: body.collection } : {}) };
    return { candidates: [candidate], options };
  }
  throw new UnsupportedMediaTypeError("upload documents as multipart/form-data (field 'file') or as JSON {title, text}");
}

/** The collection a request names: `?collection=` and/or the body's; two different names are a 400. */
function namedCollection(req: Request, bodyCollection: string | undefined): string | undefined {
  const query = parseInput(collectionQuery, req.query, "query").collection;
  if (query !== undefined && bodyCollection !== undefined && query !== bodyCollection) {
    throw new InvalidInputError(`query collection '${query}' does not match the body's collection '${bodyCollection}'`);
  }
  return query ?? bodyCollection;
}

/**
 * Writes a destructive action to the audit log (store table) and as a structured log line. An audit failure is
 * logged, never hidden: the action itself already happened.
 */
async function audit(deps: RouteDeps, req: Request, action: AuditAction, collection: string, documentId: string, count?: number): Promise<void> {
  const ctx = requestContext(req);
  const entry: AuditEntry = {
    at: new Date().toISOString(), keyName: ctx.principal?.name ?? "anonymous", action, collection, documentId,
    requestId: ctx.requestId, ...(count !== undefined ? { count } : {}),
  };
  try {
    await deps.store.recordAudit(entry);
    deps.logger.info({ audit: entry }, "audit");
  } catch (err) {
    deps.logger.error({ audit: entry, err: errorMessage(err) }, "writing the audit log failed");
  }
}

function createDocuments(deps: RouteDeps, multipart: RequestHandler): Handler {
  return async (req, res) => {
    const received = await receive(deps, multipart, req, res);
    if (received.options.id !== undefined) assertWritableDocumentId(received.options.id);
    const { candidates, options } = withStoredIds(deps, received);
    const principal = requestContext(req).principal;
    const collection = resolveCollection(principal, namedCollection(req, options.collection), deps.defaultCollection);
    const full: UploadOptions = { ...options, collection };
    const prepared = (await prepareUploads(candidates, full, deps.limits.maxFileBytes)).map((p) => ({ ...p, documentId: storedId(deps, p.documentId) }));
    const stored = await Promise.all(prepared.map((p) => deps.store.getDocument(collection, p.documentId)));
    prepared.forEach((p, i) => assertNotCurated(collection, p.documentId, stored[i]));
    const replaced = prepared.filter((_, i) => stored[i] !== undefined);
    const jobs = await enqueueUploads(deps, prepared, withRedactedTitle(deps, full), requestContext(req).abort.signal);
    for (const p of replaced) await audit(deps, req, "replace", collection, p.documentId);
    res.status(202).json({ jobs });
  };
}

function replaceDocument(deps: RouteDeps, multipart: RequestHandler): Handler {
  return async (req, res) => {
    const rawId = assertWritableDocumentId(pathId(req));
    const { candidates, options } = withStoredIds(deps, await receive(deps, multipart, req, res, rawId));
    if (candidates.length !== 1) throw new InvalidInputError("PUT replaces one document: send exactly one file");
    const principal = requestContext(req).principal;
    // The document is (collection, id): a PUT replaces or creates it in the resolved collection and never touches,
    // moves or reveals a document of the same id elsewhere.
    const collection = resolveCollection(principal, namedCollection(req, options.collection), deps.defaultCollection);
    const id = storedId(deps, rawId);
    const full: UploadOptions = { ...options, id, collection, replace: true };
    const prepared = await prepareUploads(candidates, full, deps.limits.maxFileBytes);
    const current = await deps.store.getDocument(collection, id);
    assertNotCurated(collection, id, current);
    const existed = current !== undefined;
    const jobs = await enqueueUploads(deps, prepared, withRedactedTitle(deps, full), requestContext(req).abort.signal);
    if (existed) await audit(deps, req, "replace", collection, id);
    res.status(202).json({ jobs });
  };
}

function deleteDocument(deps: RouteDeps): Handler {
  return async (req, res) => {
    const rawId = assertLookupId(pathId(req));
    const collection = resolveCollection(requestContext(req).principal, namedCollection(req, undefined), deps.defaultCollection);
    const id = storedId(deps, rawId);
    assertNotCurated(collection, id, await deps.store.getDocument(collection, id));
    // A running job would store the document after this delete: refuse rather than answer 204 and see it return.
    const running = (await deps.queue.list({ state: "active", limit: 500 })).find((j) => j.collection === collection && j.documentId === id);
    if (running) throw new DocumentBusyError(id, running.id);
    const cancelled = await deps.queue.cancelForDocument(collection, id);
    if (cancelled > 0) await audit(deps, req, "cancel", collection, id, cancelled);
    const deleted = await deps.store.deleteDocument(collection, id);
    if (deleted) await audit(deps, req, "delete", collection, id);
    if (!deleted && cancelled === 0) throw new NotFoundError("document", id);
    res.status(204).end();
  };
}

function listDocuments(deps: RouteDeps): Handler {
  return async (req, res) => {
    const q = parseInput(listQuery, req.query, "query");
    const { items, total } = await listVisibleDocuments(deps.store, q, requestContext(req).principal);
    const next = q.offset + items.length;
    // nextOffset: where the next page starts, absent on the last page.
    const body: DocumentPage = { items, total, limit: q.limit, offset: q.offset, ...(next < total && items.length > 0 ? { nextOffset: next } : {}) };
    res.json(body);
  };
}

function showDocument(deps: RouteDeps): Handler {
  return async (req, res) => {
    const rawId = assertLookupId(pathId(req));
    const collection = resolveCollection(requestContext(req).principal, namedCollection(req, undefined), deps.defaultCollection);
    const id = storedId(deps, rawId);
    const doc = await deps.store.getDocument(collection, id);
    if (!doc) throw new NotFoundError("document", id);
    res.json(doc);
  };
}

/** An `id` sent in the body must agree with the one in the path (PUT). */
function sameId(bodyId: string | undefined, fixedId: string | undefined): { id?: string } {
  if (fixedId !== undefined && bodyId !== undefined && bodyId !== fixedId) {
    throw new InvalidInputError(`body id '${bodyId}' does not match the path id '${fixedId}'`);
  }
  const id = fixedId ?? bodyId;
  return id !== undefined ? { id } : {};
}
