import type { Request, RequestHandler } from "express";
import type { Logger } from "pino";
import type { HttpMetrics } from "../metrics.js";
import { requestContext } from "../request-context.js";

/** The matched route pattern ("/documents/*id"), never the raw path, so labels and logs stay low-cardinality. */
export function routeLabel(req: Request): string {
  const route: unknown = req.route;
  if (typeof route === "object" && route !== null && "path" in route && typeof route.path === "string") {
    return `${req.baseUrl}${route.path}`;
  }
  return "unmatched";
}

/**
 * Logs one line per request when it finishes (or the client goes away): method, route pattern, status, latency,
 * request id and API key name. Never the key, bodies, questions or document text.
 */
export function requestLog(logger: Logger, metrics: HttpMetrics): RequestHandler {
  return (req, res, next) => {
    const ctx = requestContext(req);
    let logged = false;
    const done = (): void => {
      if (logged) return;
      logged = true;
      // 499: the client closed the connection before the response was complete (nginx's convention).
      const status = res.writableFinished ? res.statusCode : 499;
      const ms = performance.now() - ctx.startedAt;
      const route = routeLabel(req);
      metrics.requestDuration.observe({ method: req.method, route, status: String(status) }, ms / 1000);
      const line = { requestId: ctx.requestId, method: req.method, route, status, ms: Math.round(ms * 10) / 10, key: ctx.keyName };
      if (status >= 500) logger.error(line, "request");
      else logger.info(line, "request");
    };
    res.on("finish", done);
    res.on("close", done);
    next();
  };
}
