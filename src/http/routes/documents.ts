import { Router, type Request, type RequestHandler, type Response } from "express";
import { z } from "zod";
import { InvalidInputError, NotFoundError } from "../../errors.js";
import type { RouteDeps } from "../app-deps.js";
import { isJsonRequest, runMiddleware } from "../body.js";
import { assertCanWrite, canRead } from "../collections.js";
import { listVisibleDocuments } from "../document-listing.js";
import { enqueueUploads, fromMultipartError, multipartUpload, prepareUploads, type UploadCandidate, type UploadOptions } from "../document-uploads.js";
import { assertLookupId, assertWritableDocumentId, slugify } from "../file-name.js";
import { UnsupportedMediaTypeError } from "../http-errors.js";
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
const listQuery = z.object({
  collection: COLLECTION.optional(),
  status: z.enum(["ready", "processing", "failed"]).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

/** Express 5 `*id` wildcards capture the segments of the rest of the path. */
function pathId(req: Request): string {
  const raw: unknown = req.params.id;
  return Array.isArray(raw) ? raw.map(String).join("/") : String(raw ?? "");
}

type ReceivedOptions = Omit<UploadOptions, "collection"> & { collection?: string };
type Handler = (req: Request, res: Response) => Promise<void> | void;

/** Documents: upload (multipart or JSON) → 202 with queued jobs; replace, delete, list, show. */
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

function createDocuments(deps: RouteDeps, multipart: RequestHandler): Handler {
  return async (req, res) => {
    const { candidates, options } = await receive(deps, multipart, req, res);
    if (options.id !== undefined) assertWritableDocumentId(options.id);
    const full: UploadOptions = { ...options, collection: options.collection ?? deps.defaultCollection };
    assertCanWrite(requestContext(req).principal, full.collection);
    const prepared = await prepareUploads(candidates, full, deps.limits.maxFileBytes);
    const jobs = await enqueueUploads(deps, prepared, full, requestContext(req).abort.signal);
    res.status(202).json({ jobs });
  };
}

function replaceDocument(deps: RouteDeps, multipart: RequestHandler): Handler {
  return async (req, res) => {
    const id = assertWritableDocumentId(pathId(req));
    const { candidates, options } = await receive(deps, multipart, req, res, id);
    if (candidates.length !== 1) throw new InvalidInputError("PUT replaces one document: send exactly one file");
    const principal = requestContext(req).principal;
    const existing = deps.store.getDocument(id);
    if (existing) assertCanWrite(principal, existing.collection);
    // A replacement stays in its collection unless the request names another.
    const full: UploadOptions = { ...options, id, collection: options.collection ?? existing?.collection ?? deps.defaultCollection, replace: true };
    assertCanWrite(principal, full.collection);
    const prepared = await prepareUploads(candidates, full, deps.limits.maxFileBytes);
    const jobs = await enqueueUploads(deps, prepared, full, requestContext(req).abort.signal);
    res.status(202).json({ jobs });
  };
}

function deleteDocument(deps: RouteDeps): Handler {
  return async (req, res) => {
    const id = assertLookupId(pathId(req));
    const existing = deps.store.getDocument(id);
    // Documents of collections the key cannot read do not exist for it.
    if (existing && !canRead(requestContext(req).principal, existing.collection)) throw new NotFoundError("document", id);
    const cancelled = await deps.queue.cancelForDocument(id);
    const deleted = existing ? deps.store.deleteDocument(id) : false;
    if (!deleted && cancelled === 0) throw new NotFoundError("document", id);
    res.status(204).end();
  };
}

function listDocuments(deps: RouteDeps): Handler {
  return (req, res) => {
    const q = parseInput(listQuery, req.query, "query");
    const { items, total } = listVisibleDocuments(deps.store, q, requestContext(req).principal);
    res.json({ items, total, limit: q.limit, offset: q.offset });
  };
}

function showDocument(deps: RouteDeps): Handler {
  return (req, res) => {
    const id = assertLookupId(pathId(req));
    const doc = deps.store.getDocument(id);
    if (!doc || !canRead(requestContext(req).principal, doc.collection)) throw new NotFoundError("document", id);
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
