import { afterEach, describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { BullMqJobQueue } from "../../src/adapters/bullmq-queue.js";
import { FileUploadStore } from "../../src/adapters/file-upload-store.js";
import { SqliteJobQueue } from "../../src/adapters/sqlite-job-queue.js";
import type { JobQueue } from "../../src/ports/job-queue.js";
import { openTestEngine } from "../support/temp-engine.js";
import { REDIS_URL, jobData, markdownManual, uniqueQueueName } from "./support/helpers.js";

// Issue #10 finding 2 at the port: a document is (collection, id), so cancelling one never touches the waiting job
// of the same id in another collection. Both transports.
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function withQueue(kind: "sqlite" | "bullmq"): Promise<{ queue: JobQueue; uploads: FileUploadStore }> {
  const t = await openTestEngine();
  cleanups.push(t.cleanup);
  const uploads = new FileUploadStore(t.engine.dataDir);
  if (kind === "sqlite") {
    const queue = new SqliteJobQueue({ dataDir: t.engine.dataDir, uploads });
    cleanups.push(() => queue.close());
    return { queue, uploads };
  }
  const queue = new BullMqJobQueue({ redisUrl: REDIS_URL, queueName: uniqueQueueName(), uploads });
  cleanups.push(async () => {
    await queue.bullQueue.obliterate({ force: true });
    await queue.close();
  });
  return { queue, uploads };
}

describe.each(["sqlite", "bullmq"] as const)("%s queue: cancelForDocument(collection, id)", (kind) => {
  it("cancels only the named collection's job of that id", async () => {
    const { queue, uploads } = await withQueue(kind);
    const secret = jobData(await uploads.save(markdownManual("Secret", "s"), "nightjar.md"), "nightjar.md", "nightjar.md", "secret");
    const manuals = jobData(await uploads.save(markdownManual("Manual", "m"), "nightjar.md"), "nightjar.md", "nightjar.md", "manuals");
    const s = await queue.enqueue(secret);
    const m = await queue.enqueue(manuals);
    expect(await queue.cancelForDocument("manuals", "nightjar.md")).toBe(1);
    expect(await queue.get(m.id)).toBeUndefined();
    expect(existsSync(manuals.uploadPath)).toBe(false);
    expect((await queue.get(s.id))?.state).toBe("waiting");
    expect(existsSync(secret.uploadPath)).toBe(true);
    expect(await queue.cancelForDocument("manuals", "nightjar.md")).toBe(0);
  });
});
