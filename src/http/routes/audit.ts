import { Router } from "express";
import { z } from "zod";
import type { RouteDeps } from "../app-deps.js";
import { requestContext } from "../request-context.js";
import { parseInput } from "../validate.js";

const auditQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) });

/**
 * GET /audit (admin): the newest destructive actions (replace, delete, cancel) with key name, collection, document id
 * and time. A collection-limited admin key sees only its collections' entries.
 */
export function auditRoutes(deps: RouteDeps): Router {
  const router = Router();
  router.get("/audit", async (req, res) => {
    const q = parseInput(auditQuery, req.query, "query");
    const collections = requestContext(req).principal?.collections;
    res.json({ items: await deps.store.listAudit({ limit: q.limit, ...(collections ? { collections } : {}) }) });
  });
  return router;
}
