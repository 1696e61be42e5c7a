import type { StoredDocument } from "../domain/document.js";
import type { DocumentListQuery, DocumentRepository } from "../ports/document-repository.js";
import { assertCanUse } from "./collections.js";
import type { Principal } from "./middleware/auth.js";

export interface ListPage {
  collection?: string;
  status?: string;
  /** Title search: documents whose title contains this text (case ignored). */
  q?: string;
  limit: number;
  offset: number;
}

/**
 * A page of documents the caller may see, in the store's order (id, then collection). A collection-limited key
 * without a `collection` parameter sees the union of its collections, paged by the store in one query, so deep pages
 * cost no more than the first.
 * @throws ForbiddenError when the key asks for a collection it may not read.
 */
export async function listVisibleDocuments(store: DocumentRepository, page: ListPage, principal: Principal | undefined): Promise<{ items: StoredDocument[]; total: number }> {
  if (page.collection !== undefined) assertCanUse(principal, page.collection);
  const allowed = principal?.collections;
  const query: DocumentListQuery = {
    ...(page.status ? { status: page.status } : {}),
    ...(page.q ? { titleContains: page.q } : {}),
    ...(page.collection !== undefined ? { collection: page.collection } : allowed ? { collections: allowed } : {}),
  };
  const [items, total] = await Promise.all([store.listDocuments({ ...query, limit: page.limit, offset: page.offset }), store.countDocuments(query)]);
  return { items, total };
}
