import type { Request } from "express";
import type { Logger } from "pino";
import { errorMessage } from "../../errors.js";
import { RateLimitedError } from "../http-errors.js";
import type { RateLimiter } from "../rate-limiter.js";
import { isWidgetOnly, type IdentifiedHook, type Principal } from "./auth.js";

/**
 * Counts each request against its caller: the API key name when identified, else the client IP (so failed
 * authentication attempts are limited too). Refused requests get 429 with Retry-After. A limiter that fails
 * (Redis down) lets requests through: losing rate limiting briefly is better than losing the API.
 * A widget key is shared by every visitor of a help site, so its requests count per visitor (key + client IP) against
 * `widgetLimiter` instead: one visitor cannot spend the whole site's budget.
 */
export function rateLimitHook(mainLimiter: RateLimiter | undefined, logger: Logger, widgetLimiter?: RateLimiter): IdentifiedHook {
  return async (req: Request, principal: Principal | undefined) => {
    const widget = principal !== undefined && isWidgetOnly(principal);
    const limiter = widget ? widgetLimiter : mainLimiter;
    if (!limiter) return;
    const ip = req.ip ?? "unknown";
    const key = widget ? `widget:${principal.name}:ip:${ip}` : principal && principal.name !== "anonymous" ? `key:${principal.name}` : `ip:${ip}`;
    let decision;
    try {
      decision = await limiter.hit(key);
    } catch (err) {
      logger.warn({ err: errorMessage(err) }, "rate limiter unavailable; request allowed");
      return;
    }
    const resetSeconds = Math.max(1, Math.ceil(decision.resetMs / 1000));
    req.res?.setHeader("RateLimit-Limit", String(limiter.limit));
    req.res?.setHeader("RateLimit-Remaining", String(decision.remaining));
    req.res?.setHeader("RateLimit-Reset", String(resetSeconds));
    if (!decision.allowed) throw new RateLimitedError(resetSeconds);
  };
}
