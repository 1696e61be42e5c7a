/** The outcome of counting one request against a caller's budget. */
export interface RateLimitDecision {
  allowed: boolean;
  /** Requests left in the current window (0 when refused). */
  remaining: number;
  /** Milliseconds until the window resets. */
  resetMs: number;
}

/** Counts requests per caller key (API key name or client IP) in fixed windows. */
export interface RateLimiter {
  /** Requests allowed per window. */
  readonly limit: number;
  hit(key: string): Promise<RateLimitDecision>;
}

export interface FixedWindowOptions {
  /** Requests allowed per window. */
  limit: number;
  /** Window length; default one minute. */
  windowMs?: number;
  /** Clock (tests). */
  now?: () => number;
}

/**
 * In-process fixed-window limiter: right for a single API process. Several processes behind a load balancer need
 * the shared Redis limiter instead, or each would grant the full budget.
 */
export class FixedWindowRateLimiter implements RateLimiter {
  readonly limit: number;
  private readonly windowMs: number;
  private readonly now: () => number;
  private readonly windows = new Map<string, { start: number; count: number }>();
  private lastSweep: number;

  constructor(options: FixedWindowOptions) {
    if (!Number.isInteger(options.limit) || options.limit < 1) throw new RangeError("rate limit must be a positive integer");
    this.limit = options.limit;
    this.windowMs = options.windowMs ?? 60_000;
    this.now = options.now ?? Date.now;
    this.lastSweep = this.now();
  }

  async hit(key: string): Promise<RateLimitDecision> {
    const now = this.now();
    this.sweep(now);
    const start = now - (now % this.windowMs);
    let window = this.windows.get(key);
    if (!window || window.start !== start) {
      window = { start, count: 0 };
      this.windows.set(key, window);
    }
    window.count += 1;
    const allowed = window.count <= this.limit;
    return { allowed, remaining: Math.max(0, this.limit - window.count), resetMs: start + this.windowMs - now };
  }

  /** Forgets windows that have ended, so one-off client IPs do not accumulate. */
  private sweep(now: number): void {
    if (now - this.lastSweep < this.windowMs) return;
    this.lastSweep = now;
    const current = now - (now % this.windowMs);
    for (const [key, w] of this.windows) if (w.start < current) this.windows.delete(key);
  }
}
