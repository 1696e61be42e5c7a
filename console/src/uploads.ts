import { useCallback, useRef, useState } from "react";
import { ApiError, type ApiClient, type JobInfo, type QueuedUpload } from "./api.js";

/** One file on its way in: queued → active → completed | failed, polled from GET /jobs/:id. */
export interface UploadRow {
  key: string;
  fileName: string;
  jobId?: string;
  documentId?: string;
  state: "uploading" | JobInfo["state"] | "rejected";
  progress: number;
  error?: string;
}

const POLL_MS = 400;

/** Uploads and job tracking for the library; calls `onSettled` each time a job finishes so the list refreshes. */
export function useUploads(client: ApiClient, onSettled: () => void) {
  const [rows, setRows] = useState<UploadRow[]>([]);
  const seq = useRef(0);
  const settled = useRef(onSettled);
  settled.current = onSettled;
  const patch = useCallback((key: string, change: Partial<UploadRow>) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...change } : r))), []);

  const track = useCallback(
    async (key: string, job: QueuedUpload) => {
      patch(key, { jobId: job.id, documentId: job.documentId, state: "waiting" });
      for (;;) {
        await new Promise((r) => setTimeout(r, POLL_MS));
        try {
          const info = await client.job(job.id);
          patch(key, { state: info.state, progress: info.progress, ...(info.error ? { error: info.error } : {}) });
          if (info.state === "completed" || info.state === "failed") break;
        } catch (err) {
          // 410: pruned after it finished; anything else: stop polling and say why.
          patch(key, err instanceof ApiError && err.status === 410 ? { state: "completed", progress: 100 } : { state: "failed", error: describe(err) });
          break;
        }
      }
      settled.current();
    },
    [client, patch],
  );

  /** Starts one upload request for `files`; each returned job is tracked in its own row. */
  const send = useCallback(
    async (files: readonly File[], request: () => Promise<QueuedUpload[]>) => {
      const keys = files.map((f) => ({ key: `u${++seq.current}`, file: f }));
      setRows((rs) => [...keys.map(({ key, file }): UploadRow => ({ key, fileName: file.name, state: "uploading", progress: 0 })), ...rs]);
      try {
        const jobs = await request();
        await Promise.all(keys.map(({ key }, i) => (jobs[i] ? track(key, jobs[i]) : Promise.resolve(patch(key, { state: "rejected", error: "no job was queued" })))));
      } catch (err) {
        for (const { key } of keys) patch(key, { state: "rejected", error: describe(err) });
      }
    },
    [patch, track],
  );

  return { rows, upload: (files: readonly File[], collection: string | undefined) => send(files, () => client.upload(files, collection)), replace: (id: string, collection: string, file: File) => send([file], () => client.replace(id, collection, file)) };
}

export function describe(err: unknown): string {
  return err instanceof ApiError ? `${err.title}: ${err.detail}` : err instanceof Error ? err.message : String(err);
}
