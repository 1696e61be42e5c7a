// The job-queue conformance suite against every JobQueue implementation: BullMQ on a real Redis (its own queue
// name per case) and the in-process SQLite queue. Adapter-specific cases (crash recovery, several workers) stay in
// test/jobs/.
import { BullMqJobQueue, startBullMqWorker } from "../../src/adapters/bullmq-queue.js";
import { openJobLedger } from "../../src/adapters/sqlite-job-ledger.js";
import { openJobsDatabase } from "../../src/adapters/sqlite-jobs-db.js";
import { SqliteJobQueue } from "../../src/adapters/sqlite-job-queue.js";
import { REDIS_URL, uniqueQueueName } from "../jobs/support/helpers.js";
import { describeJobQueue } from "./job-queue.conformance.js";

describeJobQueue("BullMqJobQueue", async ({ engine, uploads, attempts, backoffMs }) => {
  const name = uniqueQueueName();
  const ledger = openJobLedger(engine.dataDir);
  const queue = new BullMqJobQueue({ redisUrl: REDIS_URL, queueName: name, uploads, ledger: ledger.ledger, attempts, backoffMs });
  const running: Array<{ close(): Promise<void> }> = [];
  return {
    queue,
    ledger: ledger.ledger,
    run: (processor, options = {}) =>
      void running.push(startBullMqWorker({ redisUrl: REDIS_URL, queueName: name, concurrency: 1, processor, ledger: ledger.ledger, ...options })),
    pruneFinished: async () => {
      await queue.bullQueue.clean(0, 1000, "completed");
      await queue.bullQueue.clean(0, 1000, "failed");
    },
    close: async () => {
      await Promise.all(running.map((w) => w.close()));
      await queue.bullQueue.obliterate({ force: true });
      await queue.close();
      ledger.close();
    },
  };
});

describeJobQueue("SqliteJobQueue", async ({ engine, uploads, attempts, backoffMs }) => {
  const open = () => new SqliteJobQueue({ dataDir: engine.dataDir, attempts, backoffMs, pollMs: 50, uploads });
  const queue = open();
  // A second runner is another queue over the same DATA_DIR, as a second API process has.
  const others: SqliteJobQueue[] = [];
  let started = false;
  return {
    queue,
    ledger: queue.ledger,
    run: (processor, options = {}) => {
      const runner = started ? open() : queue;
      if (started) others.push(runner);
      started = true;
      runner.start(processor, { concurrency: 1, ...options });
    },
    pruneFinished: async () => {
      const db = openJobsDatabase(engine.dataDir);
      db.prepare("DELETE FROM jobs WHERE state IN ('completed', 'failed')").run();
      db.close();
    },
    close: async () => {
      await Promise.all(others.map((q) => q.close()));
      await queue.close();
    },
  };
});
