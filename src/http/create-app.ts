import express from "express";
import { Registry, collectDefaultMetrics } from "prom-client";
import type { AppDeps, RouteDeps } from "./app-deps.js";
import { AnswerSlots } from "./answer-slots.js";
import { createJsonBody } from "./body.js";
import { createHttpMetrics } from "./metrics.js";
import { accessControl } from "./middleware/auth.js";
import { corsPolicy } from "./middleware/cors.js";
import { errorHandler, notFound } from "./middleware/error-handler.js";
import { rateLimitHook } from "./middleware/rate-limit.js";
import { requestId } from "./middleware/request-id.js";
import { requestLog } from "./middleware/request-log.js";
import { requestTimeout } from "./middleware/timeout.js";
import { refuseWritesWhileDown } from "./middleware/dependency-guard.js";
import { FixedWindowRateLimiter, type RateLimiter } from "./rate-limiter.js";
import { answerRoutes } from "./routes/answer.js";
import { chatCompletionRoutes } from "./routes/chat-completions.js";
import { documentRoutes } from "./routes/documents.js";
import { healthRoutes } from "./routes/health.js";
import { jobRoutes } from "./routes/jobs.js";
import { metricsRoutes } from "./routes/metrics.js";
import { analyticsRoutes } from "./routes/analytics.js";
import { auditRoutes } from "./routes/audit.js";
import { feedbackRoutes } from "./routes/feedback.js";
import { suggestRoutes } from "./routes/suggest.js";
import { chunkRoutes } from "./routes/chunks.js";
import { consoleRoutes } from "./routes/console.js";
import { whoamiRoutes } from "./routes/whoami.js";
import { curatedRoutes } from "./routes/curated.js";
import { reviewRoutes } from "./routes/review.js";

export type { AppDeps, HttpLimits } from "./app-deps.js";

/**
 * Builds the HTTP API (never listens: the caller does, tests use supertest or `listen(0)`). Middleware order:
 * request id → request log/metrics → timeout → CORS (Origin check, preflights) → access control (auth + rate limit +
 * scope) → writes refused while a dependency is down → routes → 404 → errors.
 */
export function createApp(deps: AppDeps): express.Express {
  const registry = deps.metrics ?? createMetricsRegistry();
  const routeDeps: RouteDeps = {
    ...deps,
    httpMetrics: createHttpMetrics(registry, deps.queue, deps.logger),
    slots: new AnswerSlots({
      max: deps.limits.maxConcurrentAnswers,
      maxWaitMs: deps.limits.answerQueueWaitMs ?? Math.min(5000, Math.floor(deps.limits.requestTimeoutMs / 2)),
    }),
    jsonBody: createJsonBody(deps.limits.maxBodyBytes),
  };
  const app = express();
  app.disable("x-powered-by");
  if (deps.trustProxy !== undefined) app.set("trust proxy", deps.trustProxy);

  app.use(requestId);
  app.use(requestLog(deps.logger, routeDeps.httpMetrics));
  app.use(requestTimeout(deps.limits.requestTimeoutMs, deps.logger));
  app.use((_req, res, next) => {
    res.setHeader("X-Content-Type-Options", "nosniff");
    next();
  });
  app.use(corsPolicy(deps.corsOrigins ?? []));
  const limiter = rateLimiterFor(deps);
  const widgetLimiter = widgetRateLimiterFor(deps);
  app.use(accessControl(deps.auth, limiter || widgetLimiter ? rateLimitHook(limiter, deps.logger, widgetLimiter) : undefined));

  if (deps.unavailable) app.use(refuseWritesWhileDown(deps.unavailable));

  // The answer routes first: every request walks the routers in this order, and no other router serves their paths.
  app.use(answerRoutes(routeDeps));
  app.use(chatCompletionRoutes(routeDeps));
  app.use(consoleRoutes(deps.consoleDir));
  app.use(whoamiRoutes(routeDeps));
  app.use(chunkRoutes(routeDeps));

  app.use(healthRoutes(routeDeps));
  app.use(metricsRoutes(routeDeps));
  app.use(suggestRoutes(routeDeps));
  app.use(feedbackRoutes(routeDeps));
  app.use(analyticsRoutes(routeDeps));
  app.use(auditRoutes(routeDeps));
  app.use(documentRoutes(routeDeps));
  app.use(curatedRoutes(routeDeps));
  app.use(reviewRoutes(routeDeps));
  app.use(jobRoutes(routeDeps));

  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}

/** A fresh registry with the process metrics (`groundline_process_*`, heap, event loop lag). */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "groundline_" });
  return registry;
}

function rateLimiterFor(deps: AppDeps): RateLimiter | undefined {
  if (deps.rateLimiter) return deps.rateLimiter;
  const limit = deps.limits.rateLimitPerMinute;
  return limit > 0 ? new FixedWindowRateLimiter({ limit, windowMs: 60_000 }) : undefined;
}

function widgetRateLimiterFor(deps: AppDeps): RateLimiter | undefined {
  if (deps.widgetRateLimiter) return deps.widgetRateLimiter;
  const limit = deps.limits.widgetRateLimitPerMinute ?? 0;
  return limit > 0 ? new FixedWindowRateLimiter({ limit, windowMs: 60_000 }) : undefined;
}
