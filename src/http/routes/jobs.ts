import { Router } from "express";
import { z } from "zod";
import { NotFoundError } from "../../errors.js";
import { JobExpiredError } from "../http-errors.js";
import type { RouteDeps } from "../app-deps.js";
import { parseInput } from "../validate.js";
import { canRead } from "../collections.js";
import { requestContext } from "../request-context.js";
import { visibleJob } from "../job-lookup.js";
import { jobEventRoutes } from "./job-events.js";

const listQuery = z.object({
  state: z.enum(["waiting", "active", "completed", "failed", "delayed"]).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

/**
 * Ingestion jobs: GET /jobs/:id (progress, result, error; 410 with the final state once the queue pruned it) and
 * GET /jobs?state&limit. Jobs of collections the key cannot read do not exist for it.
 */
export function jobRoutes(deps: RouteDeps): Router {
  const router = Router();
  // Before the wildcard below: "events" is no job id (ids are UUIDs).
  router.use(jobEventRoutes(deps));
  router.get("/jobs", async (req, res) => {
    const q = parseInput(listQuery, req.query, "query");
    const principal = requestContext(req).principal;
    const items = await deps.queue.list({ limit: q.limit, ...(q.state ? { state: q.state } : {}) });
    res.json({ items: items.filter((job) => canRead(principal, job.collection)) });
  });
  // Job ids are opaque to the HTTP layer and may contain '/' (ids derived from document ids), hence the wildcard.
  router.get("/jobs/*id", async (req, res) => {
    const raw: unknown = req.params.id;
    const id = Array.isArray(raw) ? raw.map(String).join("/") : String(raw);
    if (id.length > 500) throw new NotFoundError("job", id.slice(0, 500));
    const seen = await visibleJob(deps.queue, requestContext(req).principal, id);
    if (seen.kind === "job") {
      res.json(seen.job);
      return;
    }
    // Pruned after it finished: its final state from the job ledger — for keys that may see its collection only,
    // everyone else gets the same 404 as for a job that never existed.
    if (seen.kind === "expired") throw new JobExpiredError(seen.expired);
    throw new NotFoundError("job", id);
  });
  return router;
}
