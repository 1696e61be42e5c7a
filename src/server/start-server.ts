import type { Server } from "node:http";
import { join } from "node:path";
import { pino, type Logger } from "pino";
import { DEMO_COLLECTION, demoCorpusEnabled, type Config } from "../config.js";
import { createAnswering, createEngineAssist, curatedDeps, openAnalytics, openCurated, openEngine, type Engine } from "../container.js";
import { RedisRateLimiter } from "../adapters/redis-rate-limiter.js";
import type { RedisClient } from "../adapters/redis-connection.js";
import type { RateLimiter } from "../http/rate-limiter.js";
import { createApp, createMetricsRegistry, type AppDeps } from "../http/create-app.js";
import { parseApiKeys, type ApiKeyConfig } from "../http/middleware/auth.js";
import { packageRoot } from "../package-root.js";
import { ingestIntoEngine } from "../../ingest/ingest-engine.js";
import { catchUpInSlices } from "../../ingest/sandbox/yield.js";
import { PROBE_TIMEOUT_MS, startBackground, type Background, type Closable } from "./background.js";
import { followChangeLog } from "./follow-log.js";
import { withTimeout } from "./dependency-health.js";
import type { PrimaryChannel } from "./cluster-ipc.js";
import {
  FIRST_START_LEASE, SNAPSHOT_LEASE_MS, closeEngine, holdSnapshotLease, openProcessLeases, snapshotLeaseHolder, withLease, type ProcessLeases,
} from "./leases.js";

/** How often the API follows the store's change log (documents ingested by other processes become answerable). */
const FOLLOW_INTERVAL_MS = 1000;
/** First-start lease: renewed while the demo ingest runs; a crashed preparer blocks the others at most this long. */
const FIRST_START_LEASE_MS = 60_000;

/** How this process serves: alone (API_PROCESSES=1, or one of several separately started), or as a cluster worker. */
export interface StartServerOptions {
  /**
   * Set in a cluster's serving process: the primary already prepared DATA_DIR (migrations, first-start ingest), keeps
   * the rate-limit windows (without Redis) and sums /metrics over all serving processes.
   */
  primary?: PrimaryChannel;
}

export interface RunningServer {
  url: string;
  engine: Engine;
  logger: Logger;
  /** Graceful shutdown: stop accepting, drain requests, stop the worker, close queue/Redis, save the index. */
  close(): Promise<void>;
}

/** Builds every part of the service from the config (the composition root of the HTTP process) and listens. */
export async function startServer(config: Config, logger: Logger = pino({ level: config.LOG_LEVEL }), options: StartServerOptions = {}): Promise<RunningServer> {
  const auth = parseApiKeys(config.API_KEYS);
  const { primary } = options;
  // Serving processes hold the in-memory keyword index (snapshot + change log); workers and the CLI use FTS5.
  // One serving process (the snapshot lease's holder) builds the HNSW graph; the others load its snapshots. The lease
  // is opened once the engine resolved DATA_DIR: until then (the open's own catch-up) this process follows.
  let leases: ProcessLeases | undefined;
  const engine = await openEngine(config, { servingKeywordIndex: true, buildsGraph: snapshotLeaseHolder(() => leases) });
  try {
    leases = openProcessLeases(engine.dataDir);
  } catch (err) {
    await engine.close();
    throw err;
  }
  const held = leases;
  const closers: Closable[] = [];
  try {
    if (!primary) await prepareDataDir(engine, held, logger);
    const background = await startBackground(config, engine, logger, closers, () => holdSnapshotLease(held, SNAPSHOT_LEASE_MS));
    const analytics = openAnalytics(engine);
    closers.push({ close: async () => analytics.close() });
    const curated = openCurated(engine);
    closers.push({ close: async () => curated.close() });
    const answering = await createAnswering(engine, { curated });
    const registry = createMetricsRegistry();
    primary?.serveMetrics(registry);
    const app = createApp({
      answering,
      curated: curatedDeps(engine, curated),
      assist: createEngineAssist(engine, answering, analytics),
      ...appSettings(config, engine, background, { auth, logger, registry, primary }),
    });
    closers.unshift(followLog(config, engine, held, logger));
    const { url, server } = await listenAndAnnounce(app, config, engine, auth.length > 0, logger, primary);
    return {
      url,
      engine,
      logger,
      close: async () => {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        for (const c of closers) await c.close().catch((err: unknown) => logger.error({ err }, "shutdown step failed"));
        await closeEngine(engine, held);
      },
    };
  } catch (err) {
    for (const c of closers) await c.close().catch(() => undefined);
    await closeEngine(engine, held);
    throw err;
  }
}

/** What createApp takes besides the answering, curation and assist use cases: the config's limits and the plumbing. */
function appSettings(
  config: Config,
  engine: Engine,
  { queue, uploads, redis, health, reconciliation }: Background,
  { auth, logger, registry, primary }: { auth: ApiKeyConfig[]; logger: Logger; registry: ReturnType<typeof createMetricsRegistry>; primary: PrimaryChannel | undefined },
): Omit<AppDeps, "answering" | "curated" | "assist"> {
  return {
    store: engine.store,
    queue,
    uploads,
    logger,
    auth,
    limits: {
      maxBodyBytes: config.MAX_BODY_BYTES,
      maxFileBytes: config.MAX_FILE_BYTES,
      requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
      rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
      widgetRateLimitPerMinute: config.WIDGET_RATE_LIMIT_PER_MINUTE,
      maxConcurrentAnswers: Math.max(config.CHAT_MAX_CONCURRENCY, 64),
    },
    ...sharedRateLimiters(config, redis, primary),
    metrics: registry,
    ...(primary ? { metricsText: () => primary.clusterMetrics() } : {}),
    corsOrigins: config.CORS_ORIGINS,
    consoleDir: join(packageRoot(), "dist", "console"),
    readiness: async () => ({
      ...(await health.check()),
      index: engine.vectors().size >= 0,
      queue: await withTimeout(queue.counts(), PROBE_TIMEOUT_MS, "queue").then(() => true, () => false),
      jobReconciliation: reconciliation.healthy(),
    }),
    unavailable: () => health.down(),
    defaultCollection: config.DEFAULT_COLLECTION,
    documentIds: engine.documentIds,
    redactTitle: (title, collection) => engine.redactor.redact(title, { sourceType: "manual", collection }).text,
  };
}

/**
 * Every serving process follows the log (pushed notices with DATABASE_URL, polling always); only the snapshot lease's
 * holder writes snapshots.
 */
function followLog(config: Config, engine: Engine, leases: ProcessLeases, logger: Logger): Closable {
  return followChangeLog({
    indexes: engine.indexes,
    catchUp: (indexes) => catchUpInSlices(indexes),
    afterCatchUp: async () => { if (holdSnapshotLease(leases, SNAPSHOT_LEASE_MS)) await engine.indexes.saveIfDirty(config.INDEX_SAVE_EVERY); },
    ...(engine.changeNotices ? { notices: engine.changeNotices } : {}),
    intervalMs: FOLLOW_INTERVAL_MS,
    logger: logger.child({ component: "follow-log" }),
  });
}

/** Listens (on 127.0.0.1 only without API keys, unless HOST says otherwise), tells the primary, logs "ready". */
async function listenAndAnnounce(app: ReturnType<typeof createApp>, config: Config, engine: Engine, authenticated: boolean, logger: Logger, primary: PrimaryChannel | undefined): Promise<{ url: string; server: Server }> {
  const host = config.HOST ?? (authenticated ? "0.0.0.0" : "127.0.0.1");
  const server = await listen(app, config.PORT, host);
  server.requestTimeout = Math.max(config.REQUEST_TIMEOUT_MS * 2, 120_000);
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${addressPort(server)}`;
  primary?.announceListening(url);
  if (!authenticated) logger.warn({ url }, "no API_KEYS configured: listening on 127.0.0.1 only, without authentication");
  logger.info({ url, documents: await engine.store.countDocuments(), vectors: engine.vectors().size, queue: config.REDIS_URL ? "bullmq" : "in-process", fitted: engine.fitted.source }, "groundline ready");
  return { url, server };
}

/**
 * Limiters every serving process shares: Redis when configured; else, in a cluster, the primary's windows over IPC.
 * Absent ones (one process, no Redis) become in-memory limiters in createApp.
 */
function sharedRateLimiters(config: Config, redis: RedisClient | undefined, primary: PrimaryChannel | undefined): { rateLimiter?: RateLimiter; widgetRateLimiter?: RateLimiter } {
  const main = config.RATE_LIMIT_PER_MINUTE;
  const widget = config.WIDGET_RATE_LIMIT_PER_MINUTE;
  if (redis) {
    return {
      ...(main > 0 ? { rateLimiter: new RedisRateLimiter(redis, { limit: main, prefix: `${config.QUEUE_NAME}:ratelimit:` }) } : {}),
      ...(widget > 0 ? { widgetRateLimiter: new RedisRateLimiter(redis, { limit: widget, prefix: `${config.QUEUE_NAME}:widget-ratelimit:` }) } : {}),
    };
  }
  if (!primary) return {};
  return {
    ...(main > 0 ? { rateLimiter: primary.rateLimiter("main", main) } : {}),
    ...(widget > 0 ? { widgetRateLimiter: primary.rateLimiter("widget", widget) } : {}),
  };
}

/**
 * First start: exactly one process over the store ingests the demo corpus (the first-start lease: DATA_DIR's, or with
 * DATABASE_URL the one every machine shares); the others wait for it and then find the store no longer empty.
 * Migrations already ran when the engine opened the store (under a lock, so concurrent openers never both migrate).
 */
export async function prepareDataDir(engine: Engine, leases: ProcessLeases, logger: Logger): Promise<void> {
  const lease = engine.state.firstStartLease ?? leases.lease;
  await withLease({ lease, holder: leases.holder }, FIRST_START_LEASE, FIRST_START_LEASE_MS, () => ingestDemoCorpusIfEmpty(engine, logger));
}

/**
 * The cluster's one-off preparer: opens the store (its migrations run here, before any serving process exists), runs
 * the first-start ingest and writes the index snapshot the serving processes then load instead of each rebuilding it.
 */
export async function prepareDataDirOnce(config: Config, logger: Logger): Promise<void> {
  // With the keyword index too, so its snapshot is written for the serving processes to load.
  const engine = await openEngine(config, { servingKeywordIndex: true });
  const leases = openProcessLeases(engine.dataDir);
  try {
    await prepareDataDir(engine, leases, logger);
    logger.info({ dataDir: engine.dataDir }, "prepared DATA_DIR for the serving processes (migrations, first-start ingest)");
  } finally {
    await closeEngine(engine, leases);
  }
}

/**
 * DEMO_CORPUS: the demo documents in corpora/ go into their own collection on first start, so they are easy to tell
 * apart (and delete), and so their tickets can never be opted in to answer customers (see TICKET_ANSWER_COLLECTIONS).
 */
async function ingestDemoCorpusIfEmpty(engine: Engine, logger: Logger): Promise<void> {
  if (!demoCorpusEnabled(engine.config) || (await engine.store.countDocuments()) > 0) return;
  const summary = await ingestIntoEngine(engine, [join(packageRoot(), "corpora")], { collection: DEMO_COLLECTION });
  logger.info(
    { documents: summary.documents, chunks: summary.chunks, failed: summary.failed, collection: DEMO_COLLECTION },
    "ingested the demo corpus (store was empty; DEMO_CORPUS=false turns this off)",
  );
}

function listen(app: ReturnType<typeof createApp>, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (err?: Error) => (err ? reject(err) : resolve(server)));
  });
}

function addressPort(server: Server): number {
  const a = server.address();
  return typeof a === "object" && a ? a.port : 0;
}

