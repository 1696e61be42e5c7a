// Child process of the event-loop benchmark: the API as `npm start` runs it (compiled, in-process job runner) over a
// fresh DATA_DIR, measuring its own event-loop delay. Prints "url <base url>" once listening. SIGUSR2 starts a fresh
// measurement; SIGTERM prints the measurement as the last JSON line and exits.
// Usage: eventloop-server-child.ts DATA_DIR
import { monitorEventLoopDelay } from "node:perf_hooks";
import { pino } from "pino";
import { loadConfig } from "../../src/config.js";
import { startServer } from "../../src/server/start-server.js";
import { reportToParent } from "./child-process.js";

const [dataDir] = process.argv.slice(2);
if (!dataDir) throw new Error("usage: eventloop-server-child.ts DATA_DIR");
const config = loadConfig({ ...process.env, DATA_DIR: dataDir, PORT: "0", INGEST_ON_START: "false", REDIS_URL: "", LOG_LEVEL: "silent" });
const server = await startServer(config, pino({ level: "silent" }));
// 1 ms resolution: the delay a request arriving at any moment would wait before this process could look at it.
const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();
process.stdout.write(`url ${server.url}\n`);

process.on("SIGUSR2", () => delay.reset());
process.on("SIGTERM", () => {
  delay.disable();
  const ms = (ns: number): number => Math.round(ns / 1e4) / 100;
  reportToParent({ p50Ms: ms(delay.percentile(50)), p99Ms: ms(delay.percentile(99)), maxMs: ms(delay.max), samples: delay.count });
  void server.close().finally(() => process.exit(0));
});
