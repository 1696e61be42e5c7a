import type { Redis } from "ioredis";
import { TransientError, errorMessage } from "../errors.js";
import type { RateLimitDecision, RateLimiter } from "../http/rate-limiter.js";

export interface RedisRateLimiterOptions {
  /** Requests allowed per window. */
  limit: number;
  /** Window length; default one minute. */
  windowMs?: number;
  /** Prefix of the counter keys, e.g. `groundline:ratelimit:`. */
  prefix?: string;
  /** Clock (tests); windows are aligned to it, so API processes need roughly synchronised clocks. */
  now?: () => number;
}

/**
 * Fixed-window limiter shared by every API process through Redis: one counter per caller and window
 * (`<prefix><caller>:<window index>`), incremented and given a TTL in one MULTI so a counter never outlives
 * its window by more than one window length. The Redis connection is the caller's to open and close.
 */
export class RedisRateLimiter implements RateLimiter {
  readonly limit: number;
  private readonly windowMs: number;
  private readonly prefix: string;
  private readonly now: () => number;

  constructor(
    private readonly redis: Redis,
    options: RedisRateLimiterOptions,
  ) {
    if (!Number.isInteger(options.limit) || options.limit < 1) throw new RangeError("rate limit must be a positive integer");
    this.limit = options.limit;
    this.windowMs = options.windowMs ?? 60_000;
    this.prefix = options.prefix ?? "groundline:ratelimit:";
    this.now = options.now ?? Date.now;
  }

  /** @throws TransientError when Redis fails (the HTTP layer then lets the request through). */
  async hit(key: string): Promise<RateLimitDecision> {
    const now = this.now();
    const window = Math.floor(now / this.windowMs);
    const redisKey = `${this.prefix}${key}:${window}`;
    let replies: Array<[Error | null, unknown]> | null;
    try {
      replies = await this.redis.multi().incr(redisKey).pexpire(redisKey, this.windowMs * 2).exec();
    } catch (err) {
      throw new TransientError(`rate limiter: redis failed: ${errorMessage(err)}`, { cause: err });
    }
    const [incrErr, count] = replies?.[0] ?? [new Error("transaction aborted"), undefined];
    if (incrErr || typeof count !== "number") {
      throw new TransientError(`rate limiter: redis INCR failed: ${errorMessage(incrErr ?? "no reply")}`);
    }
    return {
      allowed: count <= this.limit,
      remaining: Math.max(0, this.limit - count),
      resetMs: (window + 1) * this.windowMs - now,
    };
  }
}
