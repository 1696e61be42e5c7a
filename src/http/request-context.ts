import type { Request } from "express";
import type { Principal } from "./middleware/auth.js";

/** What the middleware chain learns about one request; kept off `req` so no global type augmentation is needed. */
export interface RequestContext {
  requestId: string;
  /** performance.now() when the request arrived. */
  startedAt: number;
  /** Aborted on request timeout or client disconnect; handlers pass its signal to the answer use case. */
  abort: AbortController;
  /** The authenticated caller; undefined on public routes and before authentication. */
  principal?: Principal;
  /** Name of the API key for logs (never the key itself). */
  keyName?: string;
}

const contexts = new WeakMap<Request, RequestContext>();

/** The request's context, created on first use (the request-id middleware normally creates it). */
export function requestContext(req: Request): RequestContext {
  let ctx = contexts.get(req);
  if (!ctx) {
    ctx = { requestId: "unknown", startedAt: performance.now(), abort: new AbortController() };
    contexts.set(req, ctx);
  }
  return ctx;
}
