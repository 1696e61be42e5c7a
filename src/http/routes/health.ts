import { Router } from "express";
import { errorMessage } from "../../errors.js";
import type { RouteDeps } from "../app-deps.js";

/** Liveness (the process answers) and readiness (its dependencies do); both unauthenticated for probes. */
export function healthRoutes(deps: RouteDeps): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/readyz", async (_req, res) => {
    let checks: Record<string, boolean>;
    try {
      checks = await deps.readiness();
    } catch (err) {
      deps.logger.warn({ err: errorMessage(err) }, "readiness check failed");
      checks = { readiness: false };
    }
    const down = Object.entries(checks).filter(([, ok]) => !ok).map(([name]) => name);
    const ready = down.length === 0;
    res.status(ready ? 200 : 503).json({ status: ready ? "ready" : "not-ready", checks, ...(ready ? {} : { down }) });
  });
  return router;
}
