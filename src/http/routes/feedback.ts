import { Router } from "express";
import { z } from "zod";
import { NotFoundError } from "../../errors.js";
import type { RouteDeps } from "../app-deps.js";
import { requireJson } from "../body.js";
import { requestContext } from "../request-context.js";
import { parseInput } from "../validate.js";

export const feedbackBodySchema = z.strictObject({
  answerId: z.string().trim().min(1).max(200),
  rating: z.enum(["up", "down"]),
  comment: z.string().trim().min(1).max(4000).optional(),
  correctedAnswer: z.string().trim().min(1).max(8000).optional(),
});

/** POST /feedback: a rating (and optional comment / corrected answer) for a served answer or suggestion. */
export function feedbackRoutes(deps: RouteDeps): Router {
  const router = Router();
  router.post("/feedback", requireJson, deps.jsonBody, async (req, res) => {
    const assist = deps.assist;
    if (!assist) throw new NotFoundError("route", "/feedback");
    const body = parseInput(feedbackBodySchema, req.body, "body");
    const { keyName, principal } = requestContext(req);
    const collections = principal?.collections;
    const recorded = await assist.recordFeedback(
      {
        answerId: body.answerId,
        rating: body.rating,
        ...(body.comment !== undefined ? { comment: body.comment } : {}),
        ...(body.correctedAnswer !== undefined ? { correctedAnswer: body.correctedAnswer } : {}),
      },
      { ...(keyName ? { keyName } : {}), ...(collections ? { collections } : {}) },
    );
    // Answers served outside the key's collections do not exist for it: the same 404 as an unknown id.
    if (!recorded) throw new NotFoundError("answer", body.answerId);
    res.status(201).json({ answerId: body.answerId, rating: body.rating, recorded: true });
  });
  return router;
}
