import { useCallback, useRef, useState } from "react";
import { ApiError, type ApiClient, type JobEvent, type JobInfo, type QueuedUpload } from "./api.js";

/** One file on its way in: queued → active → completed | failed, pushed by GET /jobs/events. */
export interface UploadRow {
  key: string;
  fileName: string;
  jobId?: string;
  documentId?: string;
  state: "uploading" | JobInfo["state"] | "rejected";
  progress: number;
  error?: string;
  /** How the row learns of its job's changes: the event stream, or polling once the stream failed. */
  via?: "events" | "polling";
}

/** Polling, only when the event stream cannot be opened (a proxy that buffers it, an older server). */
const POLL_MS = 400;
/** Streams reopened after closing early (the server's request timeout) before falling back to polling. */
const REOPENS = 20;

/** Files uploaded at once from one drop: enough to overlap the round trips, few enough not to flood a small server. */
const UPLOAD_CONCURRENCY = 3;

type Patch = (jobId: string, change: Partial<UploadRow>) => void;
const isSettled = (state: string): boolean => state === "completed" || state === "failed";

/** Applies one event to its row; returns the job id it settled, if any. */
function apply(ev: JobEvent, patch: Patch): string | undefined {
  if (ev.type === "job") {
    patch(ev.job.id, { state: ev.job.state, progress: ev.job.progress, via: "events", ...(ev.job.error ? { error: ev.job.error } : {}) });
    return isSettled(ev.job.state) ? ev.job.id : undefined;
  }
  if (ev.type === "expired") {
    patch(ev.id, { state: ev.state, progress: 100, via: "events", ...(ev.error ? { error: ev.error } : {}) });
    return ev.id;
  }
  if (ev.type === "missing") {
    patch(ev.id, { state: "failed", error: "the job is unknown to this key" });
    return ev.id;
  }
  return undefined;
}

/** Follows `ids` over GET /jobs/events until each has settled; returns the ids still open when the stream failed. */
async function follow(client: ApiClient, ids: readonly string[], patch: Patch, onSettled: () => void): Promise<string[]> {
  const open = new Set(ids);
  for (let attempt = 0; open.size > 0 && attempt <= REOPENS; attempt++) {
    // A stream that keeps closing at once (a proxy) is not reopened in a tight loop.
    if (attempt > 0) await new Promise((r) => setTimeout(r, POLL_MS));
    let events: AsyncGenerator<JobEvent>;
    try {
      events = await client.jobEvents([...open]);
    } catch {
      return [...open];
    }
    try {
      for await (const ev of events) {
        const done = apply(ev, patch);
        if (done !== undefined && open.delete(done)) onSettled();
      }
    } catch {
      // The stream broke mid-way: reopen it for what is still running.
    }
  }
  return [...open];
}

/** The fallback: GET /jobs/:id every POLL_MS until the job settles. */
async function poll(client: ApiClient, jobId: string, patch: Patch): Promise<void> {
  for (;;) {
    await new Promise((r) => setTimeout(r, POLL_MS));
    try {
      const info = await client.job(jobId);
      patch(jobId, { state: info.state, progress: info.progress, via: "polling", ...(info.error ? { error: info.error } : {}) });
      if (isSettled(info.state)) return;
    } catch (err) {
      // 410: pruned after it finished; anything else: stop polling and say why.
      patch(jobId, err instanceof ApiError && err.status === 410 ? { state: "completed", progress: 100 } : { state: "failed", error: describe(err) });
      return;
    }
  }
}

/** Uploads and job tracking for the library; calls `onSettled` each time a job finishes so the list refreshes. */
export function useUploads(client: ApiClient, onSettled: () => void) {
  const [rows, setRows] = useState<UploadRow[]>([]);
  const seq = useRef(0);
  const settled = useRef(onSettled);
  settled.current = onSettled;
  const patch = useCallback((key: string, change: Partial<UploadRow>) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...change } : r))), []);
  const patchJob = useCallback<Patch>((jobId, change) => setRows((rs) => rs.map((r) => (r.jobId === jobId ? { ...r, ...change } : r))), []);

  /** One event stream for the whole batch; the jobs it could not follow are polled. */
  const track = useCallback(
    async (jobs: ReadonlyArray<{ key: string; job: QueuedUpload }>) => {
      for (const { key, job } of jobs) patch(key, { jobId: job.id, documentId: job.documentId, state: "waiting" });
      const left = await follow(client, jobs.map((j) => j.job.id), patchJob, () => settled.current());
      await Promise.all(left.map(async (id) => (await poll(client, id, patchJob), settled.current())));
    },
    [client, patch, patchJob],
  );

  /** Starts one upload request for `files`; each returned job is tracked in its own row. */
  const send = useCallback(
    async (files: readonly File[], request: () => Promise<QueuedUpload[]>) => {
      const keys = files.map((f) => ({ key: `u${++seq.current}`, file: f }));
      setRows((rs) => [...keys.map(({ key, file }): UploadRow => ({ key, fileName: file.name, state: "uploading", progress: 0 })), ...rs]);
      try {
        const jobs = await request();
        keys.forEach(({ key }, i) => (jobs[i] ? undefined : patch(key, { state: "rejected", error: "no job was queued" })));
        await track(keys.flatMap(({ key }, i) => (jobs[i] ? [{ key, job: jobs[i] }] : [])));
      } catch (err) {
        for (const { key } of keys) patch(key, { state: "rejected", error: describe(err) });
      }
    },
    [patch, track],
  );

  /**
   * One request per file, at most UPLOAD_CONCURRENCY at a time: the server refuses a multi-file request as a whole when
   * one file is bad (415 for a screenshot), and one bad file must not sink the others, so each row gets its own
   * outcome. The jobs queued are then followed together over one event stream.
   */
  const upload = useCallback(
    async (files: readonly File[], collection: string | undefined) => {
      const keyed = files.map((file) => ({ key: `u${++seq.current}`, file }));
      setRows((rs) => [...keyed.map(({ key, file }): UploadRow => ({ key, fileName: file.name, state: "uploading", progress: 0 })), ...rs]);
      const queued: Array<{ key: string; job: QueuedUpload }> = [];
      const pending = [...keyed];
      const worker = async (): Promise<void> => {
        for (let next = pending.shift(); next; next = pending.shift()) {
          const { key, file } = next;
          try {
            const [job] = await client.upload([file], collection);
            if (job) queued.push({ key, job });
            else patch(key, { state: "rejected", error: "no job was queued" });
          } catch (err) {
            patch(key, { state: "rejected", error: describe(err) });
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(UPLOAD_CONCURRENCY, keyed.length) }, worker));
      if (queued.length > 0) await track(queued);
    },
    [client, patch, track],
  );

  return { rows, upload, replace: (id: string, collection: string, file: File) => send([file], () => client.replace(id, collection, file)) };
}

export function describe(err: unknown): string {
  return err instanceof ApiError ? `${err.title}: ${err.detail}` : err instanceof Error ? err.message : String(err);
}
