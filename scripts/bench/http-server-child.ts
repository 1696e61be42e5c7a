// Child process of the HTTP benchmark: the API over an existing DATA_DIR, listening on 127.0.0.1 (an ephemeral
// port, printed as "port N"). Uploads and the job queue are inert stand-ins: only /answer is measured.
// Usage: http-server-child.ts DATA_DIR MAX_CONCURRENT_ANSWERS
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { loadConfig } from "../../src/config.js";
import { createAnswering, openEngine } from "../../src/container.js";
import { createApp } from "../../src/http/create-app.js";
import type { EnqueueResult, JobInfo, JobQueue, JobState } from "../../src/ports/job-queue.js";
import type { StoredUpload, UploadStore } from "../../src/ports/upload-store.js";

const [dataDir, concurrency] = process.argv.slice(2);
if (!dataDir) throw new Error("usage: http-server-child.ts DATA_DIR MAX_CONCURRENT_ANSWERS");
const config = loadConfig({ ...process.env, DATA_DIR: dataDir });
const engine = await openEngine(config);
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
  process.stdout.write(`port ${(server.address() as AddressInfo).port}\n`);
});
// The parent ends the benchmark with SIGTERM.
process.on("SIGTERM", () => {
  server.close();
  void engine.store.close().finally(() => process.exit(0));
});
