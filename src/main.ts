import { pino } from "pino";
import { loadConfig } from "./config.js";
import { errorMessage } from "./errors.js";
import { startServer } from "./server/start-server.js";

/**
 * `npm start`: the HTTP service on the embedded default. On first start (empty store) it ingests `corpora/`.
 * SIGTERM/SIGINT drain in-flight requests, stop the worker, close Redis and save the vector index.
 */
try {
  const config = loadConfig();
  const logger = pino({ level: config.LOG_LEVEL });
  const server = await startServer(config, logger);
  process.stdout.write(`groundline listening on ${server.url}  (try: curl -s ${server.url}/answer -H 'content-type: application/json' -d '{"question":"How do I reset the hub?"}')\n`);
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, "shutting down");
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
} catch (err) {
  process.stderr.write(`error: ${errorMessage(err)}\n`);
  process.exit(1);
}
