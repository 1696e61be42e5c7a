import cluster from "node:cluster";
import { pino, type Logger } from "pino";
import { demoCorpusEnabled, loadConfig, type Config } from "./config.js";
import { errorMessage } from "./errors.js";
import { PrimaryChannel, type ToPrimary } from "./server/cluster-ipc.js";
import { CLUSTER_ROLE_ENV, runClusterPrimary } from "./server/cluster-primary.js";
import { startHint } from "./server/start-hint.js";

/**
 * `npm start`: the HTTP service on the embedded default. On first start (empty store) it ingests `corpora/`.
 * API_PROCESSES > 1 (default: one per core): this process becomes the cluster primary and forks that many serving
 * processes sharing PORT. SIGTERM/SIGINT drain in-flight requests (in every serving process), stop the worker,
 * close Redis and save the vector index.
 */
try {
  const config = loadConfig();
  const logger = pino({ level: config.LOG_LEVEL });
  if (cluster.isWorker && process.env[CLUSTER_ROLE_ENV] === "prepare") await prepareForCluster(config, logger);
  else if (cluster.isWorker) await serveInCluster(config, logger);
  else if (config.API_PROCESSES > 1) await superviseCluster(config, logger);
  else await serveAlone(config, logger);
} catch (err) {
  process.stderr.write(`error: ${errorMessage(err)}\n`);
  process.exit(1);
}

// The serving code is imported only where it runs: the cluster primary never loads the engine, so it stays small.

async function serveAlone(config: Config, logger: Logger): Promise<void> {
  const { startServer } = await import("./server/start-server.js");
  const server = await startServer(config, logger);
  announce(server.url, 1, config);
  onStopSignal(logger, () => server.close());
}

async function superviseCluster(config: Config, logger: Logger): Promise<void> {
  const running = await runClusterPrimary(config, logger);
  announce(running.url, running.processes, config);
  onStopSignal(logger, () => running.close());
}

async function prepareForCluster(config: Config, logger: Logger): Promise<void> {
  const { prepareDataDirOnce } = await import("./server/start-server.js");
  await prepareDataDirOnce(config, logger);
  process.exit(0);
}

async function serveInCluster(config: Config, logger: Logger): Promise<void> {
  const { startServer } = await import("./server/start-server.js");
  const primary = new PrimaryChannel((message: ToPrimary) => process.send?.(message));
  process.on("message", (message: unknown) => primary.receive(message));
  const server = await startServer(config, logger, { primary });
  // Ctrl-C reaches the whole process group: the primary answers it by SIGTERM to each serving process, so a serving
  // process ignores SIGINT rather than count it as a second, impatient signal.
  process.on("SIGINT", () => undefined);
  const stop = onStopSignal(logger, async () => {
    await server.close();
    primary.close();
  }, ["SIGTERM"]);
  // The primary is gone (killed): nothing would restart or drain this process, so it drains itself.
  process.once("disconnect", () => stop("disconnect"));
}

function announce(url: string, processes: number, config: Config): void {
  const keys = config.API_KEYS !== undefined && config.API_KEYS.trim() !== "";
  process.stdout.write(startHint({ url, processes, keys, demo: demoCorpusEnabled(config) }));
}

/** `signals` run `close` once (a second signal exits at once); returns the same stop for other triggers. */
function onStopSignal(logger: Logger, close: () => Promise<void>, signals: NodeJS.Signals[] = ["SIGTERM", "SIGINT"]): (reason: NodeJS.Signals | "disconnect") => void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals | "disconnect"): void => {
    if (stopping) {
      if (signal !== "disconnect") process.exit(1);
      return;
    }
    stopping = true;
    logger.info({ signal }, "shutting down");
    close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  for (const signal of signals) process.once(signal, stop);
  return stop;
}
