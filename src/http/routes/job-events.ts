import { Router, type Request } from "express";
import { z } from "zod";
import type { JobInfo } from "../../ports/job-queue.js";
import type { RouteDeps } from "../app-deps.js";
import { visibleJob, type VisibleJob } from "../job-lookup.js";
import { requestContext } from "../request-context.js";
import { openSse, type SseStream } from "../sse.js";
import { parseInput } from "../validate.js";

/** How many jobs one stream may follow (a library drop of many files opens one stream for all of them). */
export const MAX_STREAMED_JOBS = 100;
/** How often the stream re-reads its unsettled jobs from the queue. */
const CHECK_MS = 250;

const JOB_ID = z.string().min(1).max(500);
const eventsQuery = z.object({
  id: z.union([JOB_ID, z.array(JOB_ID).min(1).max(MAX_STREAMED_JOBS)], { error: "at least one job id is required (?id=…)" })
    .transform((v) => [...new Set(Array.isArray(v) ? v : [v])]),
});

const settled = (job: JobInfo): boolean => job.state === "completed" || job.state === "failed";

/**
 * GET /jobs/events?id=…&id=…: a Server-Sent Events stream of the named jobs' changes (`ingest` scope, like
 * GET /jobs/:id and with its visibility rules). Events: `job` (the JobInfo, first at once, then whenever its state or
 * progress changes), `expired` (the final state of a job the queue has pruned — GET answers 410), `missing` (no such
 * job for this key — GET answers 404), then `end` once every job has settled, and the stream closes. At the request
 * timeout the stream closes without `end`: clients reopen it for the jobs still running.
 */
export function jobEventRoutes(deps: RouteDeps): Router {
  const router = Router();
  router.get("/jobs/events", async (req, res) => {
    const ids = parseInput(eventsQuery, req.query, "query").id;
    const sse = openSse(res);
    try {
      await follow(deps, req, sse, ids);
    } finally {
      sse.close();
    }
  });
  return router;
}

/** Sends the jobs' changes until all have settled, the client leaves or the request times out. */
async function follow(deps: RouteDeps, req: Request, sse: SseStream, ids: readonly string[]): Promise<void> {
  const { principal, abort } = requestContext(req);
  const last = new Map<string, string>();
  let open = [...ids];
  while (open.length > 0) {
    const seen = await Promise.all(open.map((id) => visibleJob(deps.queue, principal, id)));
    if (sse.closed || abort.signal.aborted) return;
    open = open.filter((id, i) => !report(sse, last, id, seen[i]!));
    if (open.length === 0) break;
    await pause(CHECK_MS, abort.signal);
    if (sse.closed || abort.signal.aborted) return;
  }
  sse.send("end", {});
}

/** Sends what changed for one job; true when the job has settled (nothing more will come for it). */
function report(sse: SseStream, last: Map<string, string>, id: string, seen: VisibleJob): boolean {
  if (seen.kind === "missing") {
    sse.send("missing", { id });
    return true;
  }
  if (seen.kind === "expired") {
    sse.send("expired", seen.expired);
    return true;
  }
  const { job } = seen;
  const fingerprint = `${job.state}:${job.progress}:${job.attempts}`;
  if (last.get(id) !== fingerprint) {
    last.set(id, fingerprint);
    sse.send("job", job);
  }
  return settled(job);
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
