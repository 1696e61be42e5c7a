import type { ChunkFilter } from "../domain/chunk.js";
import { ForbiddenError } from "./http-errors.js";
import type { Principal } from "./middleware/auth.js";

/** Whether the caller may see documents of `collection`. */
export function canRead(principal: Principal | undefined, collection: string): boolean {
  return !principal?.collections || principal.collections.includes(collection);
}

/** @throws ForbiddenError when a collection-limited key targets another collection. */
export function assertCanWrite(principal: Principal | undefined, collection: string): void {
  if (!canRead(principal, collection)) {
    throw new ForbiddenError(`API key '${principal?.name ?? "?"}' may not use collection '${collection}'`);
  }
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
    for (const c of asked) assertCanWrite(principal, c);
    return filters;
  }
  return { ...filters, collections: [...allowed] };
}
