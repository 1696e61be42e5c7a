// Child process of the HTTP benchmark: the API over an existing DATA_DIR, listening on 127.0.0.1 (an ephemeral
// port, printed as "port N"). Uploads and the job queue are inert stand-ins: only /answer is measured.
// With PROCESSES > 1 this process is a node:cluster primary (the same supervision as API_PROCESSES) and that many
// serving processes share the port.
// Usage: http-server-child.ts DATA_DIR MAX_CONCURRENT_ANSWERS [PROCESSES]
import cluster from "node:cluster";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { superviseWorkers } from "../../src/server/supervisor.js";
import type { ToPrimary } from "../../src/server/cluster-ipc.js";
import { loadConfig } from "../../src/config.js";
import { createAnswering, openEngine } from "../../src/container.js";
import { createApp } from "../../src/http/create-app.js";
import type { EnqueueResult, JobInfo, JobQueue, JobState } from "../../src/ports/job-queue.js";
import type { StoredUpload, UploadStore } from "../../src/ports/upload-store.js";

const [dataDir, concurrency, processArg] = process.argv.slice(2);
if (!dataDir) throw new Error("usage: http-server-child.ts DATA_DIR MAX_CONCURRENT_ANSWERS [PROCESSES]");
const processes = Number(processArg ?? 1);

if (cluster.isPrimary && processes > 1) {
  const supervisor = superviseWorkers({ processes, logger: pino({ level: "silent" }), drainTimeoutMs: 10_000 });
  const url = new URL(await supervisor.ready);
  process.stdout.write(`port ${url.port}\n`);
  process.on("SIGTERM", () => void supervisor.stop().then(() => process.exit(0)));
} else {
  await serve();
}

async function serve(): Promise<void> {
  const config = loadConfig({ ...process.env, DATA_DIR: dataDir });
  const engine = await openEngine(config, { servingKeywordIndex: true });
  const answering = await createAnswering(engine);

  /** The benchmark never uploads: any use of these is a bug in the benchmark. */
  const queue: JobQueue = {
    enqueue: async (): Promise<EnqueueResult> => { throw new Error("uploads are not part of the HTTP benchmark"); },
    get: async (): Promise<JobInfo | undefined> => undefined,
    list: async (): Promise<JobInfo[]> => [],
    cancelForDocument: async () => 0,
    expired: async () => undefined,
    pendingUploads: async () => new Set<string>(),
    counts: async () => ({ waiting: 0, active: 0, completed: 0, failed: 0, delayed: 0 }) satisfies Record<JobState, number>,
    close: async () => undefined,
  };
  const uploads: UploadStore = {
    save: async (): Promise<StoredUpload> => { throw new Error("uploads are not part of the HTTP benchmark"); },
    adopt: async (): Promise<StoredUpload> => { throw new Error("uploads are not part of the HTTP benchmark"); },
    read: async () => { throw new Error("uploads are not part of the HTTP benchmark"); },
    incomingDir: async () => { throw new Error("uploads are not part of the HTTP benchmark"); },
    localPath: async () => { throw new Error("uploads are not part of the HTTP benchmark"); },
    remove: async () => undefined,
    list: async () => [],
  };

  const app = createApp({
    answering,
    store: engine.store,
    queue,
    uploads,
    logger: pino({ level: "silent" }),
    auth: [],
    // Rate limiting off: the benchmark measures the engine, not the limiter.
    limits: {
      maxBodyBytes: config.MAX_BODY_BYTES,
      maxFileBytes: config.MAX_FILE_BYTES,
      requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
      rateLimitPerMinute: 0,
      maxConcurrentAnswers: Number(concurrency ?? 16),
    },
    readiness: async () => ({ store: true, queue: true }),
    defaultCollection: config.DEFAULT_COLLECTION,
  });
  const server = app.listen(0, "127.0.0.1", () => {
    const port = (server.address() as AddressInfo).port;
    if (cluster.isWorker) process.send?.({ type: "groundline:listening", url: `http://127.0.0.1:${port}` } satisfies ToPrimary);
    else process.stdout.write(`port ${port}\n`);
  });
  // The parent ends the benchmark with SIGTERM.
  process.on("SIGTERM", () => {
    server.close();
    void engine.store.close().finally(() => process.exit(0));
  });
}
