import type { Job } from "bullmq";
import { Redis } from "ioredis";
import type { IngestJobData, IngestJobResult } from "../ports/job-queue.js";

/** An ingestion job as BullMQ holds it. */
export type IngestJob = Job<IngestJobData, IngestJobResult, string>;

/** Job options every ingestion job gets: retries with exponential backoff, failed jobs kept for inspection. */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: "exponential", delay: 1000 },
  removeOnComplete: { age: 86_400, count: 1000 },
  removeOnFail: false,
} as const;

/** An ioredis connection; BullMQ workers need `maxRetriesPerRequest: null` (blocking commands must not time out). */
export function redisConnection(url: string, role: "queue" | "worker"): Redis {
  // The API side fails fast (a 503) when Redis is down instead of holding requests open.
  const redis = new Redis(url, { maxRetriesPerRequest: role === "worker" ? null : 3 });
  // It reconnects by itself; without a listener every failed reconnect would print "Unhandled error event".
  redis.on("error", () => undefined);
  return redis;
}

/** BullMQ's reasons for failing a job whose workers died under it (stalls, or starts beyond the limit). */
export const CRASH_REASONS = /stalled more than allowable limit|started more than allowable limit/;

/** Runs that ended with the worker gone: stalls, or starts that never finished an attempt. */
export function crashCount(job: IngestJob): number {
  return Math.max(job.stalledCounter, job.attemptsStarted - 1 - job.attemptsMade, 1);
}

