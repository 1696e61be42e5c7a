import type { Logger } from "pino";
import type { Config } from "../config.js";
import type { Engine } from "../container.js";
import type { JobQueue } from "../ports/job-queue.js";
import type { JobLedger } from "../ports/job-ledger.js";
import type { UploadStore } from "../ports/upload-store.js";
import { SqliteJobQueue } from "../adapters/sqlite-job-queue.js";
import type { RedisClient } from "../adapters/redis-connection.js";
import { startReconciliation } from "../jobs/reconcile.js";
import { bullMqWorkerOptions, engineIngestJobs } from "../../ingest/engine-jobs.js";
import { DependencyHealth } from "./dependency-health.js";

/** How often PostgreSQL and Redis are probed (writes are refused while one is down), and how long a probe may take. */
const HEALTH_INTERVAL_MS = 1000;
export const PROBE_TIMEOUT_MS = 2000;
/** Reconciliation leaves younger uploads and jobs alone: they may be between upload, ledger and queue. */
const RECONCILE_GRACE_MS = 5 * 60_000;

/** Something the server stops on shutdown. */
export interface Closable {
  close(): Promise<void>;
}

/** What runs beside the HTTP app: the job queue (and its worker), reconciliation, Redis and the dependency probes. */
export interface Background {
  uploads: UploadStore;
  queue: JobQueue;
  reconciliation: ReturnType<typeof startReconciliation>;
  redis: RedisClient | undefined;
  health: DependencyHealth;
}

/**
 * Starts what runs beside the HTTP app, each part's closer put in `closers` in shutdown order (the probes and
 * reconciliation first, the worker before the queue it takes jobs from, the sandbox and the ledger after the queue).
 */
export async function startBackground(config: Config, engine: Engine, logger: Logger, closers: Closable[], maySaveSnapshot: () => boolean): Promise<Background> {
  const uploads = engine.state.uploads;
  const { queue, worker, ledger, sandbox } = await startJobs(config, engine, uploads, logger, maySaveSnapshot);
  if (worker) closers.push(worker);
  closers.push(queue);
  // After the worker and the queue's runner, which wait for their running jobs (whose parse children these are).
  closers.push(sandbox);
  const reconciliation = startReconciliation({ queue, ledger: ledger.ledger, uploads, graceMs: RECONCILE_GRACE_MS, logger }, config.RECONCILE_INTERVAL_MS);
  // Stopped before the queue it uses; the ledger is closed after the queue.
  closers.unshift(reconciliation);
  closers.push({ close: async () => ledger.close() });
  const redis = config.REDIS_URL ? await connectRedis(config.REDIS_URL) : undefined;
  if (redis) closers.push({ close: async () => void redis.disconnect() });
  // PostgreSQL and Redis are probed every second: writes get 503 while one is down, /readyz says which.
  const health = new DependencyHealth([
    { name: config.DATABASE_URL ? "postgres" : "store", probe: () => engine.changes.lastSeq() },
    ...(redis ? [{ name: "redis", probe: () => redis.ping() }] : []),
  ], logger, PROBE_TIMEOUT_MS).start(HEALTH_INTERVAL_MS);
  closers.unshift(health);
  return { uploads, queue, reconciliation, redis, health };
}

interface StartedJobs {
  queue: JobQueue;
  worker?: Closable;
  ledger: { ledger: JobLedger; close(): void };
  /** The parse sandbox's children (idle ones are kept for reuse). */
  sandbox: Closable;
}

async function startJobs(config: Config, engine: Engine, uploads: UploadStore, logger: Logger, maySaveSnapshot: () => boolean): Promise<StartedJobs> {
  const jobs = engineIngestJobs(engine, uploads, logger, maySaveSnapshot);
  const sandbox: Closable = { close: async () => jobs.close() };
  if (config.REDIS_URL) {
    // Loaded only with Redis configured: bullmq and ioredis cost ~0.2 s of start-up the in-process queue never needs.
    const { BullMqJobQueue, startBullMqWorker } = await import("../adapters/bullmq-queue.js");
    const ledger = engine.state.openLedger();
    const queue = new BullMqJobQueue({ redisUrl: config.REDIS_URL, queueName: config.QUEUE_NAME, uploads, ledger: ledger.ledger });
    if (!config.RUN_WORKER_IN_API) return { queue, ledger, sandbox };
    const worker = startBullMqWorker(bullMqWorkerOptions(config, config.REDIS_URL, jobs, ledger.ledger, logger));
    return { queue, worker, ledger, sandbox };
  }
  // Without Redis nothing else would run these jobs, so the in-process runner always starts; other API processes
  // over the same DATA_DIR run theirs alongside (each holds a lease; see SqliteJobRunner).
  const queue = new SqliteJobQueue({ dataDir: engine.dataDir, uploads, leaseMs: config.JOB_LEASE_MS });
  queue.start(jobs.processor, { concurrency: config.WORKER_CONCURRENCY, onRetriesExhausted: jobs.onRetriesExhausted, logger });
  // The queue's own ledger (same jobs.db connection); the queue closes it.
  return { queue, ledger: { ledger: queue.ledger, close: () => undefined }, sandbox };
}

async function connectRedis(url: string): Promise<RedisClient> {
  // Loaded only with Redis configured (start-up cost), like the BullMQ adapter.
  const { connectRedis: connect } = await import("../adapters/redis-connection.js");
  return connect(url);
}
