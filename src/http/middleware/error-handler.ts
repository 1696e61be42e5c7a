import type { ErrorRequestHandler, Request, RequestHandler, Response } from "express";
import type { Logger } from "pino";
import { NotFoundError } from "../../errors.js";
import { describeError, openAiErrorBody, problemBody, type ErrorDescription, type Problem } from "../problem.js";
import { requestContext } from "../request-context.js";

/** The OpenAI-compatible routes answer errors in OpenAI's shape, everything else in problem+json. */
export function isOpenAiPath(req: Request): boolean {
  return /^\/v1(\/|$|\?)/i.test(req.originalUrl);
}

/** Describes an error for `req`, logging internal failures (their messages never reach the client). */
export function describeForRequest(err: unknown, req: Request, logger: Logger): ErrorDescription {
  const d = describeError(err);
  if (d.internal) logger.error({ err, requestId: requestContext(req).requestId }, "request failed");
  return d;
}

/** The problem body for `req` (instance = path without the query string). */
export function problemFor(d: ErrorDescription, req: Request): Problem {
  return problemBody(d, req.originalUrl.split("?")[0] ?? "/", requestContext(req).requestId);
}

/** Writes the error response unless one was already started (timeouts, streams): then it only ends the response. */
export function sendError(err: unknown, req: Request, res: Response, logger: Logger): void {
  const d = describeForRequest(err, req, logger);
  if (res.headersSent) {
    if (!res.writableEnded) res.end();
    return;
  }
  res.status(d.status).set(d.headers);
  if (isOpenAiPath(req)) {
    res.json(openAiErrorBody(d));
    return;
  }
  res.type("application/problem+json").send(JSON.stringify(problemFor(d, req)));
}

/** The one error middleware: every error becomes problem+json (or OpenAI's error shape under /v1). */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => sendError(err, req, res, logger);
}

/** Unknown routes: a 404 problem rather than Express's HTML page. */
export const notFound: RequestHandler = (req, _res, next) => {
  next(new NotFoundError("route", `${req.method} ${req.path}`));
};
