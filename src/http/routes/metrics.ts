import { Router } from "express";
import type { RouteDeps } from "../app-deps.js";

/** Prometheus exposition of the app's registry (admin scope when keys are configured). */
export function metricsRoutes(deps: RouteDeps): Router {
  const router = Router();
  router.get("/metrics", async (_req, res) => {
    const body = await deps.httpMetrics.registry.metrics();
    res.type(deps.httpMetrics.registry.contentType).send(body);
  });
  return router;
}
