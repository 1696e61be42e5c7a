import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startServerProcess, uploadFile, waitForJob, type ServerProcess } from "../support/server-process.js";
import { oneLineText } from "../support/hostile-files.js";

// Finding 7 of issue #10: multipart uploads are streamed to disk, never buffered whole in the API's memory.
const MB = 1024 * 1024;
let server: ServerProcess | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

/** The process's resident size, or 0 once it is gone (the test then fails on the server's own stderr, not here). */
function residentBytes(pid: number): number {
  try {
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return Number(kb) * 1024;
  } catch {
    return 0;
  }
}

describe("multipart uploads", () => {
  it("two concurrent 60 MB uploads do not grow the API's resident memory by their size", async () => {
    server = await startServerProcess({ MAX_FILE_BYTES: String(100 * MB) });
    const pid = server.child.pid!;
    // Warm up: the first upload loads multer, the queue and the sandbox code paths.
    await waitForJob(server.url, await uploadFile(server.url, "warm.md", Buffer.from("# Warm\n\nThe fan is warm.\n"), "text/markdown"), 60_000);
    const baseline = residentBytes(pid);
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, residentBytes(pid))), 10);
    const big = oneLineText(60 * MB);
    const running = server;
    const ids = await Promise.all([uploadFile(running.url, "big-a.txt", big, "text/plain"), uploadFile(running.url, "big-b.txt", big, "text/plain")])
      .catch((err: unknown) => Promise.reject(new Error(`uploads failed (server alive: ${running.alive()}): ${String(err)}\n${running.stderr()}`)))
      .finally(() => clearInterval(sampler));
    peak = Math.max(peak, residentBytes(pid));
    // Buffered uploads grew it by more than their 120 MB; streamed ones by a constant (~35 MB of I/O buffers not yet
    // collected, the same for 2 × 40 MB and 2 × 90 MB).
    expect(peak - baseline).toBeLessThan(60 * MB);
    // Over PARSE_MAX_TEXT_CHARS (20 M) by default: each job fails for good, naming the file and the limit.
    for (const id of ids) {
      const job = await waitForJob(server.url, id, 120_000);
      expect(job.state).toBe("failed");
      expect(job.error).toMatch(/big-[ab]\.txt: .*PARSE_MAX_TEXT_CHARS/);
    }
    // Nothing is left of the temp files.
    expect(readdirSync(join(server.dataDir, "incoming"))).toEqual([]);
    expect(server.alive()).toBe(true);
  }, 240_000);

  it("removes the temp file of a rejected upload (wrong type, over the size limit, bad id)", async () => {
    server = await startServerProcess({ MAX_FILE_BYTES: String(MB) });
    const post = async (name: string, bytes: Buffer, fields: Record<string, string> = {}): Promise<number> => {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) form.append(k, v);
      form.append("file", new Blob([bytes]), name);
      return (await fetch(`${server!.url}/documents`, { method: "POST", body: form })).status;
    };
    expect(await post("tool.pdf", Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0]))).toBe(415);
    expect(await post("huge.txt", oneLineText(2 * MB))).toBe(413);
    expect(await post("fine.md", Buffer.from("# Fine\n\nText.\n"), { id: "../escape" })).toBe(400);
    await new Promise((r) => setTimeout(r, 200));
    expect(readdirSync(join(server.dataDir, "incoming"))).toEqual([]);
    expect(existsSync(join(server.dataDir, "uploads")) ? readdirSync(join(server.dataDir, "uploads")) : []).toEqual([]);
  }, 60_000);
});
