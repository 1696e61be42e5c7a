import type { JobLedger } from "../ports/job-ledger.js";
import type { ExpiredJob } from "../ports/job-queue.js";

/** An expired job's final state as the ledger holds it (undefined unless the job finished). */
export async function expiredFromLedger(ledger: JobLedger, id: string): Promise<ExpiredJob | undefined> {
  const entry = await ledger.get(id);
  if (!entry || entry.state === "waiting") return undefined;
  return {
    id: entry.id,
    collection: entry.collection,
    documentId: entry.documentId,
    state: entry.state,
    ...(entry.finishedAt ? { finishedAt: entry.finishedAt } : {}),
    ...(entry.error ? { error: entry.error } : {}),
  };
}
