// Child process for the stalled-job test: a BullMQ worker with short locks whose embedder is slow (10 ms per
// passage), printing "active <doc>" and "progress <doc> <percent>" lines so the parent can SIGKILL it mid-job.
import { startBullMqWorker } from "../../../src/adapters/bullmq-queue.js";
import { FileUploadStore } from "../../../src/adapters/file-upload-store.js";
import { loadConfig } from "../../../src/config.js";
import { openEngine } from "../../../src/container.js";
import type { Embedder } from "../../../src/ports/embedder.js";
import { engineIngestJobs } from "../../../ingest/engine-jobs.js";

const [dataDir, queueName, redisUrl] = process.argv.slice(2);
if (!dataDir || !queueName || !redisUrl) throw new Error("usage: worker-child DATA_DIR QUEUE_NAME REDIS_URL");
const engine = await openEngine(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: "silent" }));
const inner = engine.embedder;
const slow: Embedder = {
  id: inner.id,
  dimensions: inner.dimensions,
  embedQuery: (text) => inner.embedQuery(text),
  embedDocuments: async (texts) => {
    await new Promise((r) => setTimeout(r, 10 * texts.length));
    return inner.embedDocuments(texts);
  },
};
const jobs = engineIngestJobs({ ...engine, embedder: slow }, new FileUploadStore(dataDir));
startBullMqWorker({
  redisUrl,
  queueName,
  concurrency: 2,
  lockDuration: 2000,
  stalledInterval: 1000,
  processor: async (data, progress) => {
    process.stdout.write(`active ${data.documentId}\n`);
    return jobs.processor(data, async (p) => {
      await progress(p);
      process.stdout.write(`progress ${data.documentId} ${p}\n`);
    });
  },
});
process.stdout.write("ready\n");
