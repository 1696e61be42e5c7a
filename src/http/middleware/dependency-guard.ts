import type { RequestHandler } from "express";
import { DependencyUnavailableError } from "../../errors.js";

/** Routes that write to the store, the queue or the shared state (uploads, deletes, curated answers, feedback, reviews of proposed answers). */
const WRITE_PATHS = /^\/(documents|curated|feedback|review)(\/|$)/;
const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Refuses writes with 503 problem+json (`dependency-unavailable`, Retry-After) while a dependency they need is down,
 * before anything is stored: a write half made (an upload kept, its job never queued) is worse than none. Reads and
 * answers pass.
 */
export function refuseWritesWhileDown(down: () => readonly string[]): RequestHandler {
  return (req, _res, next) => {
    if (!WRITE_METHODS.has(req.method) || !WRITE_PATHS.test(req.path)) return next();
    const missing = down();
    next(missing.length > 0 ? new DependencyUnavailableError(missing) : undefined);
  };
}
