import { createHash } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EnqueueResult, ExpiredJob, IngestJobData, JobInfo, JobQueue, JobState } from "../../src/ports/job-queue.js";
import type { StoredUpload, UploadStore } from "../../src/ports/upload-store.js";

const STATES: readonly JobState[] = ["waiting", "active", "completed", "failed", "delayed"];

/** In-memory JobQueue: deduplicates waiting/active jobs by document id + content hash, like the real queues. */
export class FakeJobQueue implements JobQueue {
  readonly jobs = new Map<string, { info: JobInfo; data: IngestJobData }>();
  /** Every accepted enqueue call's data, in order (deduplicated calls included). */
  readonly enqueued: IngestJobData[] = [];
  /** When set, enqueue throws it (failure paths). */
  failWith: Error | undefined;
  private next = 1;

  async enqueue(data: IngestJobData): Promise<EnqueueResult> {
    if (this.failWith) throw this.failWith;
    this.enqueued.push(data);
    for (const { info, data: d } of this.jobs.values()) {
      const live = info.state === "waiting" || info.state === "active";
      if (live && d.documentId === data.documentId && d.contentHash === data.contentHash) return { id: info.id, deduplicated: true };
    }
    const id = `job-${this.next++}`;
    const info: JobInfo = { id, documentId: data.documentId, fileName: data.fileName, collection: data.collection, state: "waiting", progress: 0, attempts: 0, createdAt: new Date().toISOString() };
    this.jobs.set(id, { info, data });
    return { id, deduplicated: false };
  }

  async get(id: string): Promise<JobInfo | undefined> {
    return this.jobs.get(id)?.info;
  }

  async list(options: { state?: JobState; limit?: number } = {}): Promise<JobInfo[]> {
    const all = [...this.jobs.values()].map((j) => j.info).filter((j) => !options.state || j.state === options.state);
    return all.slice(0, options.limit ?? 50);
  }

  async cancelForDocument(collection: string, documentId: string): Promise<number> {
    let n = 0;
    for (const [id, j] of this.jobs) {
      if (j.data.collection === collection && j.data.documentId === documentId && j.info.state === "waiting") {
        this.jobs.delete(id);
        n += 1;
      }
    }
    return n;
  }

  async pendingUploads(): Promise<ReadonlySet<string>> {
    return new Set([...this.jobs.values()].filter((j) => j.info.state !== "completed" && j.info.state !== "failed").map((j) => j.data.uploadPath));
  }

  /** Jobs the fake "pruned" (tests of 410 Gone): `expire` moves a job here. */
  readonly gone = new Map<string, ExpiredJob>();

  async expired(id: string): Promise<ExpiredJob | undefined> {
    return this.gone.get(id);
  }

  /** Prunes a finished job, keeping its final state as the ledger would. */
  expire(id: string): void {
    const j = this.jobs.get(id);
    if (!j || (j.info.state !== "completed" && j.info.state !== "failed")) return;
    this.jobs.delete(id);
    const { state, finishedAt, error, collection, documentId } = j.info;
    this.gone.set(id, { id, collection, documentId, state, ...(finishedAt ? { finishedAt } : {}), ...(error ? { error } : {}) });
  }

  async counts(): Promise<Record<JobState, number>> {
    const out = Object.fromEntries(STATES.map((s) => [s, 0])) as Record<JobState, number>;
    for (const j of this.jobs.values()) out[j.info.state] += 1;
    return out;
  }

  /** Moves a job along (tests of GET /jobs). */
  update(id: string, patch: Partial<JobInfo>): void {
    const j = this.jobs.get(id);
    if (j) j.info = { ...j.info, ...patch };
  }

  async close(): Promise<void> {}
}

/** In-memory UploadStore. `files` maps the returned paths to their bytes. */
export class FakeUploadStore implements UploadStore {
  readonly files = new Map<string, { fileName: string; bytes: Buffer }>();
  private incoming: string | undefined;
  private next = 1;

  async save(bytes: Buffer, fileName: string): Promise<StoredUpload> {
    const path = `/uploads/${this.next++}-${fileName}`;
    this.files.set(path, { fileName, bytes });
    return { path, contentHash: createHash("sha256").update(bytes).digest("hex"), size: bytes.length };
  }

  async list(): Promise<Array<{ path: string; modifiedAt: number }>> {
    return [...this.files.keys()].map((path) => ({ path, modifiedAt: Date.now() }));
  }

  async adopt(tempPath: string, fileName: string): Promise<StoredUpload> {
    try {
      return await this.save(await readFile(tempPath), fileName);
    } finally {
      await rm(tempPath, { force: true });
    }
  }

  /** Streamed multipart uploads land here (a real directory: multer writes to disk). */
  async incomingDir(): Promise<string> {
    this.incoming ??= mkdtempSync(join(tmpdir(), "groundline-incoming-"));
    return this.incoming;
  }

  async localPath(path: string): Promise<string> {
    if (!this.files.has(path)) throw Object.assign(new Error(`no upload at ${path}`), { code: "ENOENT" });
    return path;
  }

  async read(path: string): Promise<Buffer> {
    const f = this.files.get(path);
    if (!f) throw new Error(`no upload at ${path}`);
    return f.bytes;
  }

  async remove(path: string): Promise<void> {
    this.files.delete(path);
  }

  /** File names given to save(), in order. */
  get savedNames(): string[] {
    return [...this.files.values()].map((f) => f.fileName);
  }
}
