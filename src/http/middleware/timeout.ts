import type { RequestHandler } from "express";
import type { Logger } from "pino";
import { ClientClosedError, RequestTimeoutError } from "../http-errors.js";
import { requestContext } from "../request-context.js";
import { sendError } from "./error-handler.js";

/**
 * Bounds every request. At `timeoutMs` the request's abort signal fires (the answer use case stops) and, if no
 * response has started, a 503 problem is sent. A client disconnect aborts the signal too.
 */
export function requestTimeout(timeoutMs: number, logger: Logger): RequestHandler {
  return (req, res, next) => {
    const { abort } = requestContext(req);
    const timer = setTimeout(() => {
      const reason = new RequestTimeoutError(timeoutMs);
      abort.abort(reason);
      if (!res.headersSent) sendError(reason, req, res, logger);
    }, timeoutMs);
    timer.unref();
    res.on("close", () => {
      clearTimeout(timer);
      if (!res.writableFinished && !abort.signal.aborted) abort.abort(new ClientClosedError());
    });
    next();
  };
}
