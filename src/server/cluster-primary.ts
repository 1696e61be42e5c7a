import cluster, { type Worker } from "node:cluster";
import type { Logger } from "pino";
import { AggregatorRegistry } from "prom-client";
import type { Config } from "../config.js";
import { errorMessage } from "../errors.js";
import { FixedWindowRateLimiter, type RateLimiter } from "../http/rate-limiter.js";
import type { LimiterName, ToPrimary, ToWorker } from "./cluster-ipc.js";
import { superviseWorkers } from "./supervisor.js";

/** The environment variable that makes a forked process the one-off preparer instead of a serving process. */
export const CLUSTER_ROLE_ENV = "GROUNDLINE_CLUSTER_ROLE";

/** How long the primary waits for every serving process's metrics before summing those that answered. */
const COLLECT_TIMEOUT_MS = 3000;

export interface RunningCluster {
  url: string;
  processes: number;
  /** SIGTERM to every serving process; resolves when all drained and exited. */
  close(): Promise<void>;
}

/**
 * API_PROCESSES > 1: a one-off process prepares DATA_DIR alone (opening the store runs its migrations; the demo corpus
 * on first start; the index snapshot), then this process forks the serving processes, which share PORT. It serves no
 * requests and never opens the store itself (so it never holds an index in memory): it keeps the serving processes
 * running, holds the rate-limit windows when there is no Redis, and sums /metrics over them.
 */
export async function runClusterPrimary(config: Config, logger: Logger): Promise<RunningCluster> {
  await runPreparer();
  const limiters = primaryLimiters(config);
  const collector = new MetricsCollector(logger);
  const supervisor = superviseWorkers({
    processes: config.API_PROCESSES,
    logger,
    drainTimeoutMs: Math.max(config.REQUEST_TIMEOUT_MS * 2, 30_000),
    onMessage: (worker, message) => {
      if (message.type === "groundline:rate-limit") void answerRateLimit(worker, message, limiters);
      else if (message.type === "groundline:metrics") collector.collect(worker, message.id, supervisor.workers());
      else if (message.type === "groundline:metrics-part") collector.part(worker, message);
    },
  });
  try {
    const url = await supervisor.ready;
    logger.info({ url, processes: config.API_PROCESSES }, "groundline cluster ready");
    return { url, processes: config.API_PROCESSES, close: () => supervisor.stop() };
  } catch (err) {
    await supervisor.stop();
    throw err;
  }
}

/** Forks the preparer (see `prepareDataDirOnce`) and waits for it to finish; its own errors go to stderr. */
function runPreparer(): Promise<void> {
  return new Promise((resolve, reject) => {
    const preparer = cluster.fork({ [CLUSTER_ROLE_ENV]: "prepare" });
    preparer.once("exit", (code, signal) => (code === 0 ? resolve() : reject(new Error(`preparing DATA_DIR failed (${signal ?? `exit code ${code}`})`))));
  });
}

/** The windows of every serving process's requests (in-memory here, so one budget), unless Redis keeps them. */
function primaryLimiters(config: Config): Partial<Record<LimiterName, RateLimiter>> {
  if (config.REDIS_URL) return {};
  return {
    ...(config.RATE_LIMIT_PER_MINUTE > 0 ? { main: new FixedWindowRateLimiter({ limit: config.RATE_LIMIT_PER_MINUTE }) } : {}),
    ...(config.WIDGET_RATE_LIMIT_PER_MINUTE > 0 ? { widget: new FixedWindowRateLimiter({ limit: config.WIDGET_RATE_LIMIT_PER_MINUTE }) } : {}),
  };
}

async function answerRateLimit(worker: Worker, message: Extract<ToPrimary, { type: "groundline:rate-limit" }>, limiters: Partial<Record<LimiterName, RateLimiter>>): Promise<void> {
  const limiter = limiters[message.limiter];
  const reply: ToWorker = limiter
    ? { type: "groundline:rate-limit-result", id: message.id, decision: await limiter.hit(message.key) }
    : { type: "groundline:rate-limit-result", id: message.id, error: `no ${message.limiter} rate limit is configured in the primary` };
  if (worker.isConnected()) worker.send(reply);
}

interface Collection {
  requester: Worker;
  requestId: number;
  waiting: Set<number>;
  parts: object[];
  timer: NodeJS.Timeout;
}

/** Sums every serving process's registry for one /metrics request (prom-client's aggregation: sums unless marked). */
class MetricsCollector {
  private nextId = 0;
  private readonly open = new Map<number, Collection>();

  constructor(private readonly logger: Logger) {}

  collect(requester: Worker, requestId: number, workers: Worker[]): void {
    const id = this.nextId++;
    const timer = setTimeout(() => this.finish(id), COLLECT_TIMEOUT_MS);
    this.open.set(id, { requester, requestId, waiting: new Set(workers.map((w) => w.id)), parts: [], timer });
    for (const w of workers) w.send({ type: "groundline:metrics-collect", id } satisfies ToWorker);
    if (workers.length === 0) this.finish(id);
  }

  part(worker: Worker, message: Extract<ToPrimary, { type: "groundline:metrics-part" }>): void {
    const collection = this.open.get(message.id);
    if (!collection || !collection.waiting.delete(worker.id)) return;
    collection.parts.push(message.metrics);
    if (collection.waiting.size === 0) this.finish(message.id);
  }

  private finish(id: number): void {
    const c = this.open.get(id);
    if (!c) return;
    this.open.delete(id);
    clearTimeout(c.timer);
    if (c.waiting.size > 0) this.logger.warn({ missing: c.waiting.size }, "metrics: some serving processes did not answer in time");
    const requestId = c.requestId;
    Promise.resolve()
      .then(() => AggregatorRegistry.aggregate(c.parts).metrics())
      .then(
        (text) => this.reply(c.requester, { type: "groundline:metrics-result", id: requestId, text }),
        (err: unknown) => this.reply(c.requester, { type: "groundline:metrics-result", id: requestId, error: errorMessage(err) }),
      );
  }

  private reply(worker: Worker, message: ToWorker): void {
    if (worker.isConnected()) worker.send(message);
  }
}
