import type { ChunkFilter } from "../domain/chunk.js";
import { InvalidInputError } from "../errors.js";
import { ForbiddenError } from "./http-errors.js";
import type { Principal } from "./middleware/auth.js";

/** Whether the caller may see documents of `collection`. */
export function canRead(principal: Principal | undefined, collection: string): boolean {
  return !principal?.collections || principal.collections.includes(collection);
}

/**
 * For a collection the request itself names: naming it leaks nothing, so a forbidden one is 403. Never call this
 * with a collection taken from stored data (a document's, a job's): those must look like missing things (404).
 * @throws ForbiddenError when a collection-limited key names another collection.
 */
export function assertCanUse(principal: Principal | undefined, collection: string): void {
  if (!canRead(principal, collection)) {
    throw new ForbiddenError(`API key '${principal?.name ?? "?"}' may not use collection '${collection}'`);
  }
}

/**
 * Which collection a documents request means: the one it names (403 when the key may not use it); else the key's
 * only collection; else — for a key limited to several — 400 "collection is required"; else `defaultCollection`.
 */
export function resolveCollection(principal: Principal | undefined, named: string | undefined, defaultCollection: string): string {
  if (named !== undefined) {
    assertCanUse(principal, named);
    return named;
  }
  const allowed = principal?.collections;
  if (!allowed) return defaultCollection;
  if (allowed.length === 1) return allowed[0]!;
  throw new InvalidInputError(`collection is required: API key '${principal?.name ?? "?"}' may use several (${allowed.join(", ")}); pass ?collection=`);
}

/**
 * Restricts answer filters to the caller's collections: no collections asked → all allowed ones; asking for a
 * forbidden one → 403 (rather than silently answering from fewer sources than requested).
 */
export function scopeFilters(principal: Principal | undefined, filters: ChunkFilter | undefined): ChunkFilter | undefined {
  const allowed = principal?.collections;
  if (!allowed) return filters;
  const asked = filters?.collections;
  if (asked && asked.length > 0) {
    for (const c of asked) assertCanUse(principal, c);
    return filters;
  }
  return { ...filters, collections: [...allowed] };
}

/** The collections a caller may see: undefined for every collection. */
export function visibleCollections(principal: Principal | undefined): readonly string[] | undefined {
  return principal?.collections;
}
