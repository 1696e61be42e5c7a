import { Router } from "express";
import { z } from "zod";
import { NotFoundError } from "../../errors.js";
import type { RouteDeps } from "../app-deps.js";
import { parseInput } from "../validate.js";
import { canRead } from "../collections.js";
import { requestContext } from "../request-context.js";

const listQuery = z.object({
  state: z.enum(["waiting", "active", "completed", "failed", "delayed"]).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

/** Ingestion jobs: GET /jobs/:id (progress, result, error) and GET /jobs?state&limit. */
export function jobRoutes(deps: RouteDeps): Router {
  const router = Router();
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
    const job = id.length <= 500 ? await deps.queue.get(id) : undefined;
    if (!job || !canRead(requestContext(req).principal, job.collection)) throw new NotFoundError("job", id.slice(0, 500));
    res.json(job);
  });
  return router;
}
