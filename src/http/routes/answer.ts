import { Router, type Request, type Response } from "express";
import { z } from "zod";
import type { AnswerRequest } from "../../answer/answer.js";
import type { RouteDeps } from "../app-deps.js";
import { serveAnswer, withAnswerSlot } from "../answer-runner.js";
import { requireJson } from "../body.js";
import { scopeFilters } from "../collections.js";
import { describeForRequest, problemFor } from "../middleware/error-handler.js";
import { requestContext } from "../request-context.js";
import { sendJson } from "../json-response.js";
import { acceptsEventStream, openSse } from "../sse.js";
import { parseInput } from "../validate.js";

const COLLECTION = z.string().regex(/^[\w.-]{1,64}$/, "must be 1-64 letters, digits, '_', '.', '-'");

/** Retrieval filters a caller may set (unknown keys are rejected so a typo does not silently widen the search). */
export const filtersSchema = z.strictObject({
  collections: z.array(COLLECTION).min(1).max(50).optional(),
  sourceTypes: z.array(z.enum(["manual", "ticket", "curated"])).min(1).max(3).optional(),
  products: z.array(z.string().min(1).max(200)).min(1).max(50).optional(),
  languages: z.array(z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, "must be a language tag")).min(1).max(20).optional(),
});

const turnSchema = z.object({ role: z.enum(["user", "assistant"]), content: z.string().min(1).max(8000) });

export const answerBodySchema = z.object({
  question: z.string().trim().min(1).max(4000),
  history: z.array(turnSchema).max(20).optional(),
  filters: filtersSchema.optional(),
  topK: z.number().int().min(1).max(20).optional(),
  stream: z.boolean().optional(),
});

/** POST /answer: a cited answer as JSON, or as Server-Sent Events (`stream: true` or Accept: text/event-stream). */
export function answerRoutes(deps: RouteDeps): Router {
  const router = Router();
  router.post("/answer", requireJson, deps.jsonBody, async (req, res) => {
    const body = parseInput(answerBodySchema, req.body, "body");
    const ctx = requestContext(req);
    const filters = scopeFilters(ctx.principal, body.filters);
    const request: AnswerRequest = {
      question: body.question,
      ...(body.history ? { history: body.history } : {}),
      ...(filters ? { filters } : {}),
      ...(body.topK !== undefined ? { topK: body.topK } : {}),
    };
    if (body.stream === true || acceptsEventStream(req)) return streamAnswer(deps, req, res, request);
    const answer = await withAnswerSlot(deps, ctx.abort.signal, () => serveAnswer(deps, request, ctx.abort.signal, ctx.keyName));
    sendJson(res, answer);
  });
  return router;
}

/**
 * Streams `token` events as the answer's sentences pass verification (never a sentence verification drops; joined,
 * the tokens are the final answer text), then `answer` (the served Answer, triage included; its text is the truth),
 * then `done`. Failures after the stream started arrive as an `error` event with a problem body.
 */
async function streamAnswer(deps: RouteDeps, req: Request, res: Response, request: AnswerRequest): Promise<void> {
  const { signal } = requestContext(req).abort;
  // Wait for a slot before opening the stream, so an overload is still a plain 503 response.
  await withAnswerSlot(deps, signal, async () => {
    const sse = openSse(res);
    try {
      const onToken = (delta: string): void => {
        if (delta.length > 0) sse.send("token", { delta });
      };
      const answer = await serveAnswer(deps, { ...request, onToken }, signal, requestContext(req).keyName);
      sse.send("answer", answer);
      sse.send("done", {});
    } catch (err) {
      const d = describeForRequest(err, req, deps.logger);
      if (!sse.closed) sse.send("error", problemFor(d, req));
    } finally {
      sse.close();
    }
  });
}
