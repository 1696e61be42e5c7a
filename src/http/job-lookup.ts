import type { ExpiredJob, JobInfo, JobQueue } from "../ports/job-queue.js";
import { canRead } from "./collections.js";
import type { Principal } from "./middleware/auth.js";

/** What a key sees of one job id: the job, its final state after the queue pruned it, or nothing. */
export type VisibleJob = { kind: "job"; job: JobInfo } | { kind: "expired"; expired: ExpiredJob } | { kind: "missing" };

/**
 * One job as `principal` may see it — the rule GET /jobs/:id and the job event stream share: a job of a collection the
 * key cannot read is `missing`, exactly like one that never existed; a pruned job is `expired` for keys that may read
 * its collection only.
 */
export async function visibleJob(queue: JobQueue, principal: Principal | undefined, id: string): Promise<VisibleJob> {
  const job = await queue.get(id);
  if (job) return canRead(principal, job.collection) ? { kind: "job", job } : { kind: "missing" };
  const expired = await queue.expired(id);
  return expired && canRead(principal, expired.collection) ? { kind: "expired", expired } : { kind: "missing" };
}
