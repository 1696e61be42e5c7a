import type { StoredDocument } from "../domain/document.js";
import type { DocumentListQuery, DocumentRepository } from "../ports/document-repository.js";
import { assertCanUse } from "./collections.js";
import type { Principal } from "./middleware/auth.js";

export interface ListPage {
  collection?: string;
  status?: string;
  limit: number;
  offset: number;
}

/**
 * The store's order (id, then collection; SQLite BINARY collation: UTF-8 bytes), so merged pages match
 * single-collection pages and the same id in two of the key's collections has a fixed order.
 */
const utf8 = (a: string, b: string): number => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
const byId = (a: StoredDocument, b: StoredDocument): number => utf8(a.id, b.id) || utf8(a.collection, b.collection);

/**
 * A page of documents the caller may see. A collection-limited key without a `collection` parameter sees the
 * union of its collections: each is read up to `offset + limit` and merged in id order.
 * @throws ForbiddenError when the key asks for a collection it may not read.
 */
export async function listVisibleDocuments(store: DocumentRepository, page: ListPage, principal: Principal | undefined): Promise<{ items: StoredDocument[]; total: number }> {
  const base: DocumentListQuery = page.status ? { status: page.status } : {};
  if (page.collection !== undefined) assertCanUse(principal, page.collection);
  const allowed = principal?.collections;
  if (page.collection !== undefined || !allowed) {
    const query = { ...base, ...(page.collection !== undefined ? { collection: page.collection } : {}) };
    return { items: await store.listDocuments({ ...query, limit: page.limit, offset: page.offset }), total: await store.countDocuments(query) };
  }
  const merged: StoredDocument[] = [];
  let total = 0;
  for (const collection of allowed) {
    const query = { ...base, collection };
    merged.push(...(await store.listDocuments({ ...query, limit: page.offset + page.limit, offset: 0 })));
    total += await store.countDocuments(query);
  }
  return { items: merged.sort(byId).slice(page.offset, page.offset + page.limit), total };
}
