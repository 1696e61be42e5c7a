import { Router } from "express";
import { threadInputSchema } from "../../assist/thread.js";
import { NotFoundError, errorMessage } from "../../errors.js";
import type { RouteDeps } from "../app-deps.js";
import { withAnswerSlot } from "../answer-runner.js";
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
      assist.recordSuggestion(result, { ...served, ...(collections ? { collections } : {}) });
    } catch (err) {
      served.onRecordError(err);
    }
    const { id, suggestions, similarTickets, triage, confidence } = result;
    res.json({ id, suggestions, similarTickets, triage, confidence });
  });
  return router;
}

/**
 * The caller's key name for the analytics record, and where a failed analytics write goes: the log (its message only,
 * never the question). Analytics must never cost the caller their answer. Shared with the answer routes.
 */
export function servedContext(deps: Pick<RouteDeps, "logger">, keyName: string | undefined): { keyName?: string; onRecordError: (err: unknown) => void } {
  return {
    ...(keyName ? { keyName } : {}),
    onRecordError: (err) => deps.logger.error({ err: errorMessage(err) }, "recording the served answer for analytics failed"),
  };
}
