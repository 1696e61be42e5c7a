import { Router } from "express";
import { z } from "zod";
import { NotFoundError } from "../../errors.js";
import { PAGE_BREAK, type Chunk } from "../../domain/chunk.js";
import type { ChunkView, DocumentChunks } from "../api-types.js";
import type { RouteDeps } from "../app-deps.js";
import { resolveCollection } from "../collections.js";
import { assertLookupId } from "../file-name.js";
import { requestContext } from "../request-context.js";
import { parseInput } from "../validate.js";

const query = z.object({
  collection: z.string().regex(/^[\w.-]{1,64}$/, "must be 1-64 letters, digits, '_', '.', '-'").optional(),
  /** One chunk only (a citation's `chunkId`): what the playground opens when a citation is clicked. */
  chunk: z.string().min(1).max(1000).optional(),
});

/**
 * GET /chunks/*id?collection=: a document's chunks in order (`ingest` scope, like the document itself). The collection
 * resolves as for /documents, so another collection's document answers the same 404 as a missing one. `?chunk=<id>`
 * narrows the answer to that chunk (404 when the document has no such chunk): a citation opened whole.
 */
export function chunkRoutes(deps: RouteDeps): Router {
  const router = Router();
  router.get("/chunks/*id", async (req, res) => {
    const raw: unknown = req.params.id;
    const rawId = assertLookupId(Array.isArray(raw) ? raw.map(String).join("/") : String(raw ?? ""));
    const q = parseInput(query, req.query, "query");
    const collection = resolveCollection(requestContext(req).principal, q.collection, deps.defaultCollection);
    const id = deps.documentIds ? deps.documentIds.toStored(rawId) : rawId;
    const doc = await deps.store.getDocument(collection, id);
    if (!doc) throw new NotFoundError("document", rawId);
    const all = (await deps.store.getDocumentChunks(collection, id)).sort((a, b) => a.position - b.position);
    const chunks = (q.chunk === undefined ? all : all.filter((c) => c.id === q.chunk)).map(toView);
    if (q.chunk !== undefined && chunks.length === 0) throw new NotFoundError("chunk", q.chunk);
    const body: DocumentChunks = { collection, documentId: doc.id, title: doc.title, chunks };
    res.json(body);
  });
  return router;
}

/** A chunk as readers see it: the internal page-break marks (for citing the quoted sentence's page) are left out. */
function toView(c: Chunk): ChunkView {
  return {
    // The mark always follows whitespace (chunk-document.ts), so dropping it never joins two words.
    id: c.id, position: c.position, sectionPath: c.sectionPath, tokenCount: c.tokenCount, text: c.text.replaceAll(PAGE_BREAK, ""),
    ...(c.pageStart !== undefined ? { pageStart: c.pageStart } : {}),
    ...(c.pageEnd !== undefined ? { pageEnd: c.pageEnd } : {}),
    ...(c.pageLabel !== undefined ? { pageLabel: c.pageLabel } : {}),
    ...(c.blockKind !== undefined ? { blockKind: c.blockKind } : {}),
  };
}
