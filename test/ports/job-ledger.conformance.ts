// The behaviour every JobLedger (src/ports/job-ledger.ts) must share, run against each backend.
import { createHash } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { JobLedger } from "../../src/ports/job-ledger.js";
import type { IngestJobData } from "../../src/ports/job-queue.js";
import type { StateUnderTest } from "./state-harness.js";

const data = (documentId: string, uploadPath = `up-${documentId}`): IngestJobData => ({
  collection: "default", documentId, fileName: `${documentId}.md`, uploadPath, contentHash: createHash("sha256").update(documentId).digest("hex"),
});
const result = { documents: 1, chunks: 2, embedded: 2, unchanged: 0, documentIds: ["d"] };

export function describeJobLedger(name: string, create: () => Promise<StateUnderTest>): void {
  describe(`${name}: job ledger conformance`, () => {
    let subject: StateUnderTest;
    let ledger: JobLedger;
    let close: () => void;
    beforeEach(async () => {
      subject = await create();
      ({ ledger, close } = subject.state.openLedger());
    });
    afterEach(async () => {
      close();
      await subject.close();
    });

    it("records accepted jobs and their final state; a completed job stays completed", async () => {
      await ledger.recordAccepted("j1", data("a"), 1_000);
      await ledger.recordAccepted("j1", data("other"), 2_000);
      expect(await ledger.get("j1")).toEqual({ id: "j1", collection: "default", documentId: "a", fileName: "a.md", state: "waiting", data: data("a"), createdAt: new Date(1_000).toISOString() });
      await ledger.recordFinished("j1", { state: "completed", result }, 5_000);
      await ledger.recordFinished("j1", { state: "failed", error: "late duplicate" }, 6_000);
      expect(await ledger.get("j1")).toMatchObject({ state: "completed", result, finishedAt: new Date(5_000).toISOString() });
      expect((await ledger.get("j1"))?.error).toBeUndefined();
      await ledger.recordAccepted("j2", data("b"), 1_000);
      await ledger.recordFinished("j2", { state: "failed", error: "bad pdf" }, 5_000);
      expect(await ledger.get("j2")).toMatchObject({ state: "failed", error: "bad pdf" });
      expect(await ledger.get("missing")).toBeUndefined();
    });

    it("lists unfinished jobs oldest first, finds a job by upload, and fails a job only once", async () => {
      await ledger.recordAccepted("new", data("n"), 3_000);
      await ledger.recordAccepted("old", data("o", "shared"), 1_000);
      await ledger.recordAccepted("mid", data("m"), 2_000);
      await ledger.recordFinished("mid", { state: "completed", result }, 2_500);
      expect((await ledger.unfinished(10_000, 10)).map((e) => e.id)).toEqual(["old", "new"]);
      expect((await ledger.unfinished(2_000, 10)).map((e) => e.id)).toEqual(["old"]);
      expect((await ledger.unfinished(10_000, 1)).map((e) => e.id)).toEqual(["old"]);
      expect((await ledger.findByUpload("shared"))?.id).toBe("old");
      expect(await ledger.findByUpload("nothing")).toBeUndefined();
      expect(await ledger.failIfUnfinished("old", "lost")).toBe(true);
      expect(await ledger.failIfUnfinished("old", "lost again")).toBe(false);
      expect(await ledger.failIfUnfinished("mid", "lost")).toBe(false);
      expect(await ledger.get("old")).toMatchObject({ state: "failed", error: "lost" });
    });

    it("forgets a job, and prunes only finished jobs that ended before the cut-off", async () => {
      await ledger.recordAccepted("gone", data("g"), 1_000);
      await ledger.forget("gone");
      expect(await ledger.get("gone")).toBeUndefined();
      await ledger.recordAccepted("early", data("e"), 1_000);
      await ledger.recordFinished("early", { state: "completed", result }, 2_000);
      await ledger.recordAccepted("late", data("l"), 1_000);
      await ledger.recordFinished("late", { state: "failed", error: "x" }, 9_000);
      await ledger.recordAccepted("waiting", data("w"), 1_000);
      expect(await ledger.prune(5_000)).toBe(1);
      expect(await ledger.get("early")).toBeUndefined();
      expect(await ledger.get("late")).toBeDefined();
      expect(await ledger.get("waiting")).toBeDefined();
    });
  });
}
