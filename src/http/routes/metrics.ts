import { Router } from "express";
import type { RouteDeps } from "../app-deps.js";
import { ForbiddenError } from "../http-errors.js";
import { requestContext } from "../request-context.js";

/**
 * Prometheus exposition of the app's registry (admin scope when keys are configured). The metrics span every
 * collection (queue counts, answers), so a collection-limited admin key is refused.
 */
export function metricsRoutes(deps: RouteDeps): Router {
  const router = Router();
  router.get("/metrics", async (req, res) => {
    const principal = requestContext(req).principal;
    if (principal?.collections) throw new ForbiddenError(`API key '${principal.name}' is limited to collections; /metrics needs an admin key without collection limits`);
    const body = deps.metricsText ? await deps.metricsText() : await deps.httpMetrics.registry.metrics();
    res.type(deps.httpMetrics.registry.contentType).send(body);
  });
  return router;
}
