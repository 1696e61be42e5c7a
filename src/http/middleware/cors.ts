import type { Request, RequestHandler } from "express";
import { ForbiddenError } from "../http-errors.js";

const ALLOW_HEADERS = "Authorization, X-API-Key, Content-Type, Accept, X-Request-Id";
const EXPOSE_HEADERS = "RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Retry-After, X-Request-Id";

/** Whether `origin` is the API's own (the console at /console/ calls the API from it). */
function isSameOrigin(req: Request, origin: string): boolean {
  try {
    return new URL(origin).host.toLowerCase() === (req.get("host") ?? "").toLowerCase();
  } catch {
    return false;
  }
}

/**
 * Browser calls from other origins (the chat widget on a help site). A request whose `Origin` is neither the API's own
 * nor listed in `allowed` (CORS_ORIGINS) is refused with 403 before authentication — also a simple POST, which a
 * browser would otherwise send and only hide the answer of. Allowed origins get the CORS headers; preflights
 * (OPTIONS with Access-Control-Request-Method) are answered here with 204. Requests without `Origin` (servers, curl)
 * pass untouched.
 */
export function corsPolicy(allowed: readonly string[]): RequestHandler {
  const origins = new Set(allowed);
  return (req, res, next) => {
    const origin = req.get("origin");
    res.append("Vary", "Origin");
    if (origin === undefined || isSameOrigin(req, origin)) return next();
    if (!origins.has(origin)) throw new ForbiddenError(`origin '${origin.slice(0, 200)}' is not allowed (CORS_ORIGINS)`);
    res.setHeader("Access-Control-Allow-Origin", origin);
    res.setHeader("Access-Control-Expose-Headers", EXPOSE_HEADERS);
    if (req.method === "OPTIONS" && req.get("access-control-request-method") !== undefined) {
      res.setHeader("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
      res.setHeader("Access-Control-Allow-Headers", ALLOW_HEADERS);
      res.setHeader("Access-Control-Max-Age", "600");
      res.status(204).end();
      return;
    }
    next();
  };
}
