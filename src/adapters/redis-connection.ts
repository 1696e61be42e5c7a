import { Redis } from "ioredis";

/** The Redis client type the Redis-backed adapters share (one connection per process for rate limits and readiness). */
export type RedisClient = Redis;

/**
 * Opens a Redis connection for the API's shared concerns. Requests fail fast (one retry) instead of queueing while
 * Redis is down, so /readyz and the rate limiter report the outage rather than hanging.
 */
export function connectRedis(url: string): RedisClient {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: false });
  // ioredis reconnects by itself; an outage is reported by the dependency probe (/readyz), not once per failed write.
  redis.on("error", () => undefined);
  return redis;
}
