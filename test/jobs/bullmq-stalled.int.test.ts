import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { BullMqJobQueue, startBullMqWorker } from "../../src/adapters/bullmq-queue.js";
import { openJobLedger } from "../../src/adapters/sqlite-job-ledger.js";
import { FileUploadStore } from "../../src/adapters/file-upload-store.js";
import type { Engine } from "../../src/container.js";
import type { JobInfo } from "../../src/ports/job-queue.js";
import { engineIngestJobs } from "../../ingest/engine-jobs.js";
import { openTestEngine } from "../support/temp-engine.js";
import { REDIS_URL, jobData, markdownManual, uniqueQueueName, waitFor } from "./support/helpers.js";

let engine: Engine;
let cleanupEngine: () => Promise<void>;
let queue: BullMqJobQueue;

beforeEach(async () => {
  ({ engine, cleanup: cleanupEngine } = await openTestEngine());
  queue = new BullMqJobQueue({ redisUrl: REDIS_URL, queueName: uniqueQueueName() });
});

afterEach(async () => {
  await queue.bullQueue.obliterate({ force: true });
  await queue.close();
  await cleanupEngine();
});

/** ~300 KB of JSONL: 300 articles, committed by the processor 64 at a time. */
function articles(): Buffer {
  const lines = Array.from({ length: 300 }, (_, i) =>
    JSON.stringify({ id: `kb-${i}`, title: `Article ${i}`, text: `Article ${i} about the router. ${"Reset the hub and pair the remote again. ".repeat(24)}` }),
  );
  return Buffer.from(lines.join("\n"));
}

/** Runs the child worker until `killWhen` is true of its output so far, then SIGKILLs it. */
function runChildUntil(dataDir: string, queueName: string, killWhen: (output: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "test/jobs/support/worker-child.ts", dataDir, queueName, REDIS_URL], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let output = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.stdout.setEncoding("utf8").on("data", (text: string) => {
      output += text;
      if (killWhen(output)) child.kill("SIGKILL");
    });
    child.on("error", reject);
    child.on("exit", () => {
      clearTimeout(timer);
      resolve(output);
    });
  });
}

describe("BullMQ worker crash", () => {
  it("a job whose worker is SIGKILLed mid-job stalls, is retried by another worker, and leaves no duplicate chunks", async () => {
    const uploads = new FileUploadStore(engine.dataDir);
    const queueName = queue.bullQueue.name;
    const jsonl = await queue.enqueue(jobData(await uploads.save(articles(), "kb.jsonl"), "kb.jsonl", "kb.jsonl"));
    const manual = await queue.enqueue(jobData(await uploads.save(markdownManual("Big Manual", "stallable", 300_000), "big.md"), "big", "big.md"));

    // Killed once the first 64 articles are committed, while the 300 KB manual is still being embedded.
    const output = await runChildUntil(engine.dataDir, queueName, (out) => /progress kb\.jsonl (3[1-9]|[4-9]\d)\b/.test(out) && /active big/.test(out));
    expect(output).toMatch(/active big/);
    expect(output).not.toMatch(/progress big 100/);
    expect((await queue.get(jsonl.id))?.state).toBe("active");
    const committedByFirst = await engine.store.countDocuments();
    expect(committedByFirst).toBeGreaterThanOrEqual(64);
    expect(committedByFirst).toBeLessThan(300);

    const jobs = engineIngestJobs(engine, uploads);
    const worker = startBullMqWorker({ redisUrl: REDIS_URL, queueName, concurrency: 2, processor: jobs.processor, lockDuration: 2000, stalledInterval: 1000 });
    try {
      const done = async (id: string): Promise<JobInfo> =>
        waitFor(async () => {
          const info = await queue.get(id);
          return info?.state === "completed" || info?.state === "failed" ? info : undefined;
        }, 20_000, `job ${id}`);
      const [a, b] = [await done(jsonl.id), await done(manual.id)];
      expect(a.state).toBe("completed");
      expect(b.state).toBe("completed");
      expect(a.attempts).toBe(2);
      expect(a.result?.documents).toBe(300);
      expect(a.result?.unchanged).toBe(committedByFirst);
      expect(b.result?.documentIds).toEqual(["big"]);
    } finally {
      await worker.close();
    }

    const docs = await engine.store.listDocuments({ limit: 1000 });
    expect(docs.length).toBe(301);
    for (const d of docs) {
      const chunks = await engine.store.getDocumentChunks(d.collection, d.id);
      expect(chunks.length).toBe(d.chunkCount);
      expect(new Set(chunks.map((c) => c.contentHash)).size).toBe(chunks.length);
    }
    const total = docs.reduce((s, d) => s + d.chunkCount, 0);
    expect((await engine.store.allChunkIds()).length).toBe(total);
    expect(engine.vectors().size).toBe(total);
  }, 45_000);

  it("a job whose worker is killed on every attempt ends failed with a clear reason; its upload is removed", async () => {
    const uploads = new FileUploadStore(engine.dataDir);
    const queueName = queue.bullQueue.name;
    const ledgerDb = openJobLedger(engine.dataDir);
    const accepting = new BullMqJobQueue({ redisUrl: REDIS_URL, queueName, ledger: ledgerDb.ledger });
    const data = jobData(await uploads.save(markdownManual("Bomb", "crashing", 300_000), "bomb.md"), "bomb", "bomb.md");
    const { id } = await accepting.enqueue(data);
    await accepting.close();
    // maxStalledCount 1 (the default): the second stall is final.
    for (let crash = 0; crash < 2; crash++) expect(await runChildUntil(engine.dataDir, queueName, (out) => /active bomb/.test(out))).toMatch(/active bomb/);
    const jobs = engineIngestJobs(engine, uploads);
    let runs = 0;
    const worker = startBullMqWorker({
      redisUrl: REDIS_URL,
      queueName,
      concurrency: 1,
      processor: async (d, p) => {
        runs += 1;
        return jobs.processor(d, p);
      },
      onRetriesExhausted: jobs.onRetriesExhausted,
      ledger: ledgerDb.ledger,
      lockDuration: 2000,
      stalledInterval: 1000,
    });
    try {
      const info = await waitFor(async () => {
        const i = await queue.get(id);
        return i?.state === "failed" ? i : undefined;
      }, 20_000, "the job to fail");
      expect(info.error).toMatch(/the worker crashed or was killed while processing this file \d+ times/);
      expect(runs).toBe(0);
      await waitFor(() => !existsSync(data.uploadPath), 5000, "the upload to be removed");
      expect((await engine.store.getDocument("default", "bomb"))?.status).toBe("failed");
      expect(await ledgerDb.ledger.get(id)).toMatchObject({ state: "failed" });
    } finally {
      await worker.close();
      ledgerDb.close();
    }
  }, 60_000);
});
