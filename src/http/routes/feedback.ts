import { Router } from "express";
import { z } from "zod";
import { NotFoundError } from "../../errors.js";
import type { RouteDeps } from "../app-deps.js";
import { requireJson } from "../body.js";
import { ForbiddenError } from "../http-errors.js";
import { isWidgetOnly } from "../middleware/auth.js";
import { requestContext } from "../request-context.js";
import { parseInput } from "../validate.js";

export const feedbackBodySchema = z.strictObject({
  answerId: z.string().trim().min(1).max(200),
  rating: z.enum(["up", "down"]),
  comment: z.string().trim().min(1).max(4000).optional(),
  correctedAnswer: z.string().trim().min(1).max(8000).optional(),
});

/**
 * POST /feedback: a rating (and optional comment / corrected answer) for a served answer or suggestion. A `widget` key
 * may send ratings of answers served to itself only.
 */
export function feedbackRoutes(deps: RouteDeps): Router {
  const router = Router();
  router.post("/feedback", requireJson, deps.jsonBody, async (req, res) => {
    const assist = deps.assist;
    if (!assist) throw new NotFoundError("route", "/feedback");
    const body = parseInput(feedbackBodySchema, req.body, "body");
    const { keyName, principal } = requestContext(req);
    const collections = principal?.collections;
    const widget = principal !== undefined && isWidgetOnly(principal);
    // A widget key is public: it rates, nothing more. Free text from any visitor must not reach the review queue or
    // corrected answers, and only answers served to this key can be rated (once each; a new rating replaces it).
    if (widget && (body.comment !== undefined || body.correctedAnswer !== undefined)) {
      throw new ForbiddenError(`API key '${principal.name}' is a widget key: it may send a rating only (no comment or correctedAnswer)`);
    }
    const recorded = await assist.recordFeedback(
      {
        answerId: body.answerId,
        rating: body.rating,
        ...(body.comment !== undefined ? { comment: body.comment } : {}),
        ...(body.correctedAnswer !== undefined ? { correctedAnswer: body.correctedAnswer } : {}),
      },
      { ...(keyName ? { keyName } : {}), ...(collections ? { collections } : {}), ...(widget ? { ownAnswersOnly: true } : {}) },
    );
    // Answers served outside the key's collections do not exist for it: the same 404 as an unknown id.
    if (!recorded) throw new NotFoundError("answer", body.answerId);
    res.status(201).json({ answerId: body.answerId, rating: body.rating, recorded: true });
  });
  return router;
}
