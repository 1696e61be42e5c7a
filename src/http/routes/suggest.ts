import { Router } from "express";
import { threadInputSchema } from "../../assist/thread.js";
import { NotFoundError } from "../../errors.js";
import type { RouteDeps } from "../app-deps.js";
import { servedContext, withAnswerSlot } from "../answer-runner.js";
import { requireJson } from "../body.js";
import { requestContext } from "../request-context.js";
import { parseInput } from "../validate.js";


/**
 * POST /suggest (agent assist): reply suggestions for the latest customer turn of a thread, similar past tickets and
 * a triage. Takes an answer slot like /answer (it runs the answer use case). Every result is recorded for analytics.
 */
export function suggestRoutes(deps: RouteDeps): Router {
  const router = Router();
  router.post("/suggest", requireJson, deps.jsonBody, async (req, res) => {
    const assist = deps.assist;
    if (!assist) throw new NotFoundError("route", "/suggest");
    const body = parseInput(threadInputSchema, req.body, "body");
    const ctx = requestContext(req);
    const { signal } = ctx.abort;
    const collections = ctx.principal?.collections;
    const result = await withAnswerSlot(deps, signal, () =>
      assist.suggest({
        messages: body.messages,
        ...(body.product ? { product: body.product } : {}),
        ...(collections ? { collections: [...collections] } : {}),
        signal,
      }),
    );
    signal.throwIfAborted();
    const served = servedContext(deps, ctx.keyName);
    try {
      await assist.recordSuggestion(result, { ...served, ...(collections ? { collections } : {}) });
    } catch (err) {
      served.onRecordError(err);
    }
    const { id, suggestions, similarTickets, triage, confidence } = result;
    res.json({ id, suggestions, similarTickets, triage, confidence });
  });
  return router;
}

export { servedContext } from "../answer-runner.js";
