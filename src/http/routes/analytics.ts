import { Router } from "express";
import { z } from "zod";
import { InvalidInputError, NotFoundError } from "../../errors.js";
import { markCoveredGaps } from "../../curated/coverage.js";
import type { RouteDeps } from "../app-deps.js";
import { requestContext } from "../request-context.js";
import { parseInput } from "../validate.js";

/** A date (2026-03-01, start of that day UTC) or a full ISO 8601 timestamp, normalised to ISO UTC. */
const instant = z
  .string()
  .trim()
  .max(40)
  .refine((s) => /^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(s) && !Number.isNaN(Date.parse(s)), "must be an ISO 8601 date or timestamp")
  .transform((s) => new Date(/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s).toISOString());

export const analyticsQuerySchema = z.object({
  from: instant.optional(),
  to: instant.optional(),
  lowConfidence: z.coerce.number().min(0).max(1).optional(),
  clusterThreshold: z.coerce.number().min(0.01).max(1).optional(),
  examples: z.coerce.number().int().min(1).max(20).optional(),
  top: z.coerce.number().int().min(1).max(100).optional(),
  /** Review queue clusters: still open (default), covered by a curated answer, or all of them marked. */
  gaps: z.enum(["open", "covered", "all"]).default("open"),
});

/** The largest clusters asked again for coverage per report (an answer computation per example, 3 by default). */
const MAX_COVERAGE_CHECKS = 30;

/**
 * GET /analytics?from&to (admin): questions asked, outcome and feedback rates, most cited documents, and coverage gaps
 * (refused, low-confidence or down-voted questions clustered by similarity; `gaps=open|covered|all` lists those no
 * curated answer answers yet, those one does, or both, each cluster marked with `coveredBy`). `to` is exclusive.
 */
export function analyticsRoutes(deps: RouteDeps): Router {
  const router = Router();
  router.get("/analytics", async (req, res) => {
    const assist = deps.assist;
    if (!assist) throw new NotFoundError("route", "/analytics");
    const q = parseInput(analyticsQuerySchema, req.query, "query");
    if (q.from && q.to && q.from >= q.to) {
      throw new InvalidInputError("invalid request query: from must be before to", { details: { errors: [{ path: "from", message: "must be before to" }] } });
    }
    // A collection-limited admin sees only what was served within its collections.
    const collections = requestContext(req).principal?.collections;
    const report = await assist.report({
      ...(collections ? { collections } : {}),
      range: { ...(q.from ? { from: q.from } : {}), ...(q.to ? { to: q.to } : {}) },
      ...(q.lowConfidence !== undefined ? { lowConfidence: q.lowConfidence } : {}),
      ...(q.clusterThreshold !== undefined ? { clusterThreshold: q.clusterThreshold } : {}),
      ...(q.examples !== undefined ? { examples: q.examples } : {}),
      ...(q.top !== undefined ? { topCited: q.top } : {}),
    });
    // Clusters a curated answer now answers leave the open queue; with no curated answer in view, nothing is asked.
    const curatedInView = deps.curated ? (await deps.curated.curated.list({ ...(collections ? { collections } : {}), limit: 1 })).total : 0;
    const maxChecks = curatedInView > 0 ? MAX_COVERAGE_CHECKS : 0;
    res.json(await markCoveredGaps(report, (request) => deps.answering.answer(request), { ...(collections ? { collections } : {}), maxChecks, show: q.gaps }));
  });
  return router;
}
