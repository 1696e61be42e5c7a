import { randomUUID } from "node:crypto";
import { Router, type Request, type Response } from "express";
import type { AnswerRequest } from "../../answer/answer.js";
import { NotFoundError } from "../../errors.js";
import type { RouteDeps } from "../app-deps.js";
import { serveAnswer, withAnswerSlot } from "../answer-runner.js";
import { requireJson } from "../body.js";
import { scopeFilters } from "../collections.js";
import { describeForRequest } from "../middleware/error-handler.js";
import { MODEL_ID, MODEL_INFO, chatChunk, chatCompletion, chatRequestSchema, groundlineExtension, nowSeconds, toQuestion } from "../openai-format.js";
import { openAiErrorBody } from "../problem.js";
import { requestContext } from "../request-context.js";
import { sendJson } from "../json-response.js";
import { openSse } from "../sse.js";
import { parseInput } from "../validate.js";

/**
 * OpenAI-compatible endpoints, so bot frameworks and the official `openai` client can use the engine as a "model":
 * POST /v1/chat/completions (plain or streamed) and GET /v1/models.
 */
export function chatCompletionRoutes(deps: RouteDeps): Router {
  const router = Router();
  router.get("/v1/models", (_req, res) => {
    res.json({ object: "list", data: [MODEL_INFO] });
  });
  router.get("/v1/models/:model", (req, res) => {
    if (req.params.model !== MODEL_ID) throw new NotFoundError("model", req.params.model);
    res.json(MODEL_INFO);
  });
  router.post("/v1/chat/completions", requireJson, deps.jsonBody, async (req, res) => {
    const body = parseInput(chatRequestSchema, req.body, "body");
    const { question, history } = toQuestion(body.messages);
    const ctx = requestContext(req);
    const filters = scopeFilters(ctx.principal, undefined);
    const request: AnswerRequest = { question, history, ...(filters ? { filters } : {}) };
    if (body.stream === true) return streamCompletion(deps, req, res, request);
    const answer = await withAnswerSlot(deps, ctx.abort.signal, () => serveAnswer(deps, request, ctx.abort.signal, ctx.keyName));
    sendJson(res, chatCompletion(answer));
  });
  return router;
}

/**
 * Streams `chat.completion.chunk` events: the role first (at once, so clients see progress), then the answer text
 * sentence by sentence as each passes verification (OpenAI clients cannot take text back, so a sentence verification
 * drops is never sent), then a final chunk with finish_reason "stop" plus `citations` and `groundline`, then [DONE].
 */
async function streamCompletion(deps: RouteDeps, req: Request, res: Response, request: AnswerRequest): Promise<void> {
  const { signal } = requestContext(req).abort;
  await withAnswerSlot(deps, signal, async () => {
    const sse = openSse(res);
    const id = `chatcmpl-${randomUUID()}`;
    const created = nowSeconds();
    try {
      sse.send(undefined, chatChunk(id, created, { role: "assistant", content: "" }, null));
      const onToken = (content: string): void => {
        if (content.length > 0) sse.send(undefined, chatChunk(id, created, { content }, null));
      };
      const answer = await serveAnswer(deps, { ...request, onToken }, signal, requestContext(req).keyName);
      sse.send(undefined, chatChunk(id, created, {}, "stop", { citations: answer.citations, groundline: groundlineExtension(answer) }));
      sse.sendRaw("[DONE]");
    } catch (err) {
      // The openai client turns a `data: {"error": ...}` event into an APIError.
      if (!sse.closed) sse.send(undefined, openAiErrorBody(describeForRequest(err, req, deps.logger)));
    } finally {
      sse.close();
    }
  });
}
