import { randomUUID } from "node:crypto";
import type { RequestHandler } from "express";
import { requestContext } from "../request-context.js";

// Incoming ids end up in logs and headers: accept only short, plain tokens.
const SANE_ID = /^[\w.:@-]{1,128}$/;

/** Takes a sane incoming X-Request-Id or generates one, and echoes it on the response. */
export const requestId: RequestHandler = (req, res, next) => {
  const incoming = req.get("x-request-id");
  const ctx = requestContext(req);
  ctx.requestId = incoming !== undefined && SANE_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader("X-Request-Id", ctx.requestId);
  next();
};
