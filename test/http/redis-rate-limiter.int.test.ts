import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { RedisRateLimiter } from "../../src/adapters/redis-rate-limiter.js";
import { TransientError } from "../../src/errors.js";

const prefix = `groundline-test:${randomUUID()}:`;
let redis: Redis;

beforeAll(() => {
  redis = new Redis("redis://127.0.0.1:6379", { lazyConnect: true, maxRetriesPerRequest: 1 });
});

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

describe("RedisRateLimiter (real Redis)", () => {
  it("counts hits per key and fixed window, shared between limiter instances", async () => {
    let now = 1_000_000 * 60_000 + 15_000;
    const a = new RedisRateLimiter(redis, { limit: 2, windowMs: 60_000, prefix, now: () => now });
    const b = new RedisRateLimiter(redis, { limit: 2, windowMs: 60_000, prefix, now: () => now });
    expect(await a.hit("key:bot")).toEqual({ allowed: true, remaining: 1, resetMs: 45_000 });
    expect(await b.hit("key:bot")).toMatchObject({ allowed: true, remaining: 0 });
    expect(await a.hit("key:bot")).toMatchObject({ allowed: false, remaining: 0 });
    expect(await a.hit("key:other")).toMatchObject({ allowed: true });
    now += 45_000;
    expect(await b.hit("key:bot")).toMatchObject({ allowed: true, remaining: 1 });
  });

  it("gives every counter a TTL so windows expire", async () => {
    const limiter = new RedisRateLimiter(redis, { limit: 5, windowMs: 60_000, prefix });
    await limiter.hit("ip:127.0.0.1");
    const [key] = await redis.keys(`${prefix}ip:127.0.0.1:*`);
    const ttl = await redis.pttl(key ?? "");
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(120_000);
  });

  it("throws TransientError when Redis is unreachable", async () => {
    const dead = new Redis("redis://127.0.0.1:1", { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
    dead.on("error", () => undefined);
    const limiter = new RedisRateLimiter(dead, { limit: 5, prefix });
    await expect(limiter.hit("x")).rejects.toBeInstanceOf(TransientError);
    dead.disconnect();
  });
});
