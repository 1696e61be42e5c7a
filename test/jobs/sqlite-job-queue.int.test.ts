import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { FileUploadStore } from "../../src/adapters/file-upload-store.js";
import { SqliteJobQueue, type SqliteJobQueueOptions } from "../../src/adapters/sqlite-job-queue.js";
import type { Engine } from "../../src/container.js";
import type { IngestJobData, IngestJobResult, JobInfo, JobProcessor } from "../../src/ports/job-queue.js";
import { engineIngestJobs } from "../../ingest/engine-jobs.js";
import { openTestEngine } from "../support/temp-engine.js";
import { countingProcessor, jobData, markdownManual, waitFor } from "./support/helpers.js";

let engine: Engine;
let cleanupEngine: () => Promise<void>;
let uploads: FileUploadStore;
const queues: SqliteJobQueue[] = [];

beforeEach(async () => {
  ({ engine, cleanup: cleanupEngine } = await openTestEngine());
  uploads = new FileUploadStore(engine.dataDir);
});

afterEach(async () => {
  await Promise.all(queues.splice(0).map((q) => q.close()));
  await cleanupEngine();
});

function openQueue(options: Partial<SqliteJobQueueOptions> = {}): SqliteJobQueue {
  const queue = new SqliteJobQueue({ dataDir: engine.dataDir, backoffMs: 50, pollMs: 50, uploads, ...options });
  queues.push(queue);
  return queue;
}

function counting(): ReturnType<typeof countingProcessor> {
  return countingProcessor(engineIngestJobs(engine, uploads).processor);
}

async function upload(bytes: Buffer, documentId: string, fileName: string): Promise<IngestJobData> {
  return jobData(await uploads.save(bytes, fileName), documentId, fileName);
}

function finished(queue: SqliteJobQueue, id: string): Promise<JobInfo> {
  return waitFor(async () => {
    const info = await queue.get(id);
    return info?.state === "completed" || info?.state === "failed" ? info : undefined;
  }, 10_000, `job ${id}`);
}

describe("SqliteJobQueue", () => {
  it("an accepted job survives a restart before it ran", async () => {
    const first = openQueue();
    const { id } = await first.enqueue(await upload(markdownManual("Guide", "persisted"), "guide", "guide.md"));
    await first.close();
    const second = openQueue();
    expect((await second.get(id))?.state).toBe("waiting");
    second.start(counting().processor, { concurrency: 1 });
    expect((await finished(second, id)).state).toBe("completed");
  });

  it("a job left active by a SIGKILLed runner is reclaimed once its lease expired and run again", async () => {
    const queue = openQueue({ leaseMs: 500 });
    const { id } = await queue.enqueue(await upload(markdownManual("Guide", "revived"), "guide", "guide.md"));
    const output = await runChildUntilActive(engine.dataDir, 500);
    expect(output).toMatch(/active guide/);
    expect((await queue.get(id))?.state).toBe("active");
    queue.start(counting().processor, { concurrency: 1 });
    const info = await finished(queue, id);
    expect(info).toMatchObject({ state: "completed", attempts: 2 });
  });

  it("a second runner over the same DATA_DIR neither resets nor runs the first one's active job", async () => {
    const first = openQueue({ leaseMs: 400 });
    let release: (r: IngestJobResult) => void = () => undefined;
    let firstRuns = 0;
    first.start(() => {
      firstRuns += 1;
      return new Promise<IngestJobResult>((resolve) => (release = resolve));
    }, { concurrency: 1 });
    const { id } = await first.enqueue(await upload(markdownManual("Guide", "shared"), "guide", "guide.md"));
    await waitFor(async () => (await first.get(id))?.state === "active", 5000, "the job to start");

    const second = openQueue({ leaseMs: 400 });
    const { processor, runs } = counting();
    second.start(processor, { concurrency: 1 });
    // Several lease periods: the first runner's heartbeat keeps its job its own.
    await new Promise((r) => setTimeout(r, 1500));
    expect((await second.get(id))?.state).toBe("active");
    expect(runs.get("guide")).toBeUndefined();
    release({ documents: 1, chunks: 1, embedded: 1, unchanged: 0, documentIds: ["guide"] });
    const info = await finished(second, id);
    expect(info).toMatchObject({ state: "completed", attempts: 1 });
    expect(firstRuns).toBe(1);
  });

  it("a job whose runner crashes on every attempt fails after max attempts with a clear reason and is not retried", async () => {
    const queue = openQueue({ leaseMs: 300, attempts: 2 });
    const data = await upload(markdownManual("Bomb", "crashing"), "bomb", "bomb.md");
    const { id } = await queue.enqueue(data);
    for (let crash = 0; crash < 2; crash++) expect(await runChildUntilActive(engine.dataDir, 300)).toMatch(/active bomb/);
    const { processor, runs } = counting();
    const exhausted: string[] = [];
    queue.start(processor, { concurrency: 1, onRetriesExhausted: async (d) => void exhausted.push(d.documentId) });
    const info = await finished(queue, id);
    expect(info).toMatchObject({ state: "failed", attempts: 2 });
    expect(info.error).toMatch(/the worker crashed or was killed while processing this file 2 times/);
    expect(runs.get("bomb")).toBeUndefined();
    expect(exhausted).toEqual(["bomb"]);
  });
});

/** Runs the child runner until it reports a job active, then SIGKILLs it (the lease is left to expire). */
function runChildUntilActive(dataDir: string, leaseMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "test/jobs/support/sqlite-runner-child.ts", dataDir, String(leaseMs)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let output = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    child.stdout.setEncoding("utf8").on("data", (text: string) => {
      output += text;
      if (/active /.test(output)) child.kill("SIGKILL");
    });
    child.on("error", reject);
    child.on("exit", () => {
      clearTimeout(timer);
      resolve(output);
    });
  });
}
