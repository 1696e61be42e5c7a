import { describe, expect, it } from "vitest";
import { FixedWindowRateLimiter } from "../../src/http/rate-limiter.js";

describe("FixedWindowRateLimiter", () => {
  it("allows `limit` hits per key and window, then refuses until the window resets", async () => {
    let now = 60_000 * 10 + 1000;
    const limiter = new FixedWindowRateLimiter({ limit: 2, windowMs: 60_000, now: () => now });
    expect(await limiter.hit("a")).toEqual({ allowed: true, remaining: 1, resetMs: 59_000 });
    expect(await limiter.hit("a")).toMatchObject({ allowed: true, remaining: 0 });
    expect(await limiter.hit("a")).toMatchObject({ allowed: false, remaining: 0 });
    expect(await limiter.hit("b")).toMatchObject({ allowed: true });
    now += 59_000;
    expect(await limiter.hit("a")).toEqual({ allowed: true, remaining: 1, resetMs: 60_000 });
  });

  it("rejects a non-positive limit", () => {
    expect(() => new FixedWindowRateLimiter({ limit: 0 })).toThrow(RangeError);
  });
});
