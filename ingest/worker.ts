import { pino } from "pino";
import { startBullMqWorker } from "../src/adapters/bullmq-queue.js";
import { runCli } from "../src/cli/run-cli.js";
import { openEngine } from "../src/container.js";
import { ConfigError } from "../src/errors.js";
import { bullMqWorkerOptions, engineIngestJobs } from "./engine-jobs.js";

/**
 * `npm run worker`: runs ingestion jobs from the BullMQ queue in REDIS_URL against the store (DATA_DIR, or PostgreSQL
 * with DATABASE_URL, where uploads and the job ledger live too). Several workers (and the API) may share one store. SIGTERM/SIGINT: the running job finishes, then the engine closes
 * (saving the vector index); a second signal kills at once.
 */
await runCli(async (config) => {
  if (!config.REDIS_URL) throw new ConfigError("npm run worker needs REDIS_URL; without Redis the API runs jobs in-process");
  const log = pino({ level: config.LOG_LEVEL, name: "worker" });
  const engine = await openEngine(config);
  try {
    const uploads = engine.state.uploads;
    const ledger = engine.state.openLedger();
    const jobs = engineIngestJobs(engine, uploads, log);
    const worker = startBullMqWorker(bullMqWorkerOptions(config, config.REDIS_URL, jobs, ledger.ledger, log));
    log.info({ queue: config.QUEUE_NAME, concurrency: config.WORKER_CONCURRENCY, dataDir: engine.dataDir }, "worker started");
    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      process.once("SIGTERM", resolve);
      process.once("SIGINT", resolve);
    });
    log.info({ signal }, "shutting down: waiting for the running job");
    await worker.close();
    jobs.close();
    ledger.close();
    log.info("worker stopped");
    return 0;
  } finally {
    await engine.close();
  }
});
