import { Worker } from "node:worker_threads";
import type { DocumentRecord } from "../src/ports/document-repository.js";
import type { FileTarget } from "./load-target.js";
import type { IngestSettings } from "./pipeline.js";
import type { FromWorker, PreparedPayload, PrepareSpec, ToWorker } from "./prepare-protocol.js";

/** A file's documents as the worker loaded them, and the prepared chunks of those the plan asked for. */
export interface PreparedFile {
  records: DocumentRecord[];
  docs: PreparedPayload[];
}

/** Answers, on the ingest thread, which loaded documents are unchanged (null) and which chunk hashes have vectors. */
export type PlanFn = (records: DocumentRecord[]) => Promise<Array<string[] | null>>;

interface Job {
  slot: Slot;
  plan: PlanFn;
  resolve: (file: PreparedFile) => void;
  reject: (err: Error) => void;
  records?: DocumentRecord[];
}

interface Slot {
  worker: Worker;
  jobs: Set<number>;
}

/**
 * Worker threads that load, redact, chunk, analyze and embed files (prepare-worker.ts) while the calling thread
 * keeps the store and vector index. A worker that dies fails only its in-flight files and is replaced (a few times).
 */
export class PrepareWorkerPool {
  private readonly slots: Slot[] = [];
  private readonly jobs = new Map<number, Job>();
  private nextJob = 1;
  private closing = false;
  private respawns: number;

  private constructor(private readonly spec: PrepareSpec, size: number) {
    this.respawns = 2 * size;
  }

  /** Starts `size` workers and waits until each has loaded its code; rejects (stopping them) if one cannot start. */
  static async start(size: number, spec: PrepareSpec): Promise<PrepareWorkerPool> {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`worker pool size must be a positive integer, got ${size}`);
    const pool = new PrepareWorkerPool(spec, size);
    const ready = Array.from({ length: size }, () => {
      const { slot, ready } = pool.spawn();
      pool.slots.push(slot);
      return ready;
    });
    try {
      await Promise.all(ready);
    } catch (err) {
      await pool.close();
      throw err;
    }
    return pool;
  }

  get size(): number {
    return this.slots.length;
  }

  /** Prepares one file on the least busy worker; rejects with the file's error (nothing of it is stored). */
  prepare(target: FileTarget, maxBytes: number, settings: IngestSettings, plan: PlanFn): Promise<PreparedFile> {
    if (this.slots.length === 0) return Promise.reject(new Error("no ingest worker left (they kept failing)"));
    const slot = this.slots.reduce((best, s) => (s.jobs.size < best.jobs.size ? s : best));
    const job = this.nextJob++;
    return new Promise<PreparedFile>((resolve, reject) => {
      this.jobs.set(job, { slot, plan, resolve, reject });
      slot.jobs.add(job);
      this.send(slot, { kind: "load", job, target, maxBytes, settings });
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    const slots = this.slots.splice(0);
    await Promise.all(slots.map((s) => s.worker.terminate()));
    this.fail(slots.flatMap((s) => [...s.jobs]), new Error("ingest worker pool closed"));
  }

  private spawn(): { slot: Slot; ready: Promise<void> } {
    const worker = startWorker(new URL(`./prepare-worker${import.meta.url.endsWith(".ts") ? ".ts" : ".js"}`, import.meta.url), this.spec);
    const slot: Slot = { worker, jobs: new Set() };
    const ready = new Promise<void>((resolve, reject) => {
      worker.once("message", () => resolve());
      worker.once("error", reject);
      worker.once("exit", (code) => reject(new Error(`ingest worker exited with code ${code} while starting`)));
    });
    void ready.then(
      () => {
        worker.on("message", (msg: FromWorker) => this.onMessage(msg));
        worker.on("error", (err) => this.replace(slot, err));
        worker.on("exit", (code) => this.replace(slot, new Error(`ingest worker exited with code ${code}`)));
      },
      () => undefined,
    );
    return { slot, ready };
  }

  private onMessage(msg: FromWorker): void {
    const job = this.jobs.get(msg.job);
    if (!job) return;
    if (msg.kind === "failed") return this.fail([msg.job], new Error(msg.error));
    if (msg.kind === "prepared") {
      this.finish(msg.job);
      return job.resolve({ records: job.records ?? [], docs: msg.docs });
    }
    job.records = msg.records;
    // A plan that throws before returning its promise fails the job like one that rejects.
    new Promise<Array<string[] | null>>((resolve) => resolve(job.plan(msg.records))).then(
      (known) => this.send(job.slot, { kind: "plan", job: msg.job, known }),
      (err: unknown) => {
        // The worker still holds the loaded file; an empty plan (every document unchanged) releases it.
        this.send(job.slot, { kind: "plan", job: msg.job, known: msg.records.map(() => null) });
        this.fail([msg.job], err instanceof Error ? err : new Error(String(err)));
      },
    );
  }

  private send(slot: Slot, msg: ToWorker): void {
    slot.worker.postMessage(msg);
  }

  private finish(job: number): void {
    this.jobs.get(job)?.slot.jobs.delete(job);
    this.jobs.delete(job);
  }

  private fail(jobs: readonly number[], err: Error): void {
    for (const id of jobs) {
      const job = this.jobs.get(id);
      this.finish(id);
      job?.reject(err);
    }
  }

  /** A crashed worker fails its in-flight files (one of them probably caused it) and makes room for a fresh one. */
  private replace(slot: Slot, err: Error): void {
    if (!this.drop(slot, err) || this.closing || this.respawns <= 0) return;
    this.respawns--;
    const fresh = this.spawn();
    this.slots.push(fresh.slot);
    // A replacement that cannot start leaves the pool smaller; prepare() rejects once none is left.
    fresh.ready.catch((e: unknown) => this.drop(fresh.slot, e instanceof Error ? e : new Error(String(e))));
  }

  /** Removes a worker, failing its in-flight files. False if it was already gone. */
  private drop(slot: Slot, err: Error): boolean {
    const i = this.slots.indexOf(slot);
    if (i < 0) return false;
    this.slots.splice(i, 1);
    this.fail([...slot.jobs], new Error(`ingest worker failed: ${err.message}`));
    void slot.worker.terminate();
    return true;
  }
}

/**
 * Starts prepare-worker. Run from TypeScript sources (tsx, vitest), the worker registers tsx itself before
 * importing it: Node 20 does not apply the parent's loader hooks to a worker's entry module.
 */
function startWorker(file: URL, spec: PrepareSpec): Worker {
  if (!file.pathname.endsWith(".ts")) return new Worker(file, { workerData: spec });
  const tsx = import.meta.resolve("tsx/esm/api");
  const code = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(file.href)}); })`;
  return new Worker(code, { eval: true, workerData: spec });
}
