import { randomUUID } from "node:crypto";
import type { IngestJobData, JobProcessor } from "../../../src/ports/job-queue.js";
import type { StoredUpload } from "../../../src/ports/upload-store.js";

/** Redis for the queue tests (a local server; see the brief in the README). */
export const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

export function uniqueQueueName(): string {
  return `test-${randomUUID()}`;
}

/** Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const WORDS = "router pairing firmware battery remote signal channel cable volume screen button light reset update power".split(" ");

/** A Markdown manual of roughly `bytes` bytes whose sections mention `marker`. */
export function markdownManual(title: string, marker: string, bytes = 2_000): Buffer {
  const parts = [`# ${title}\n`];
  let size = parts[0]!.length;
  for (let s = 0; size < bytes; s++) {
    const words = Array.from({ length: 40 }, (_, i) => WORDS[(s * 7 + i) % WORDS.length]).join(" ");
    const section = `\n## Section ${s}\n\nThe ${marker} procedure step ${s}: ${words}.\n`;
    parts.push(section);
    size += section.length;
  }
  return Buffer.from(parts.join(""));
}

/** Bytes of an ELF executable: what a mislabelled upload looks like. */
export function elfBytes(): Buffer {
  return Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(200, 0)]);
}

export function jobData(upload: StoredUpload, documentId: string, fileName: string, collection = "default"): IngestJobData {
  return { uploadPath: upload.path, fileName, documentId, contentHash: upload.contentHash, collection };
}

/** A job processor that counts runs per document and records the progress it reports (wrapping a real one). */
export function countingProcessor(inner: JobProcessor): { processor: JobProcessor; runs: Map<string, number>; progress: number[] } {
  const runs = new Map<string, number>();
  const progress: number[] = [];
  const processor: JobProcessor = async (data, report) => {
    runs.set(data.documentId, (runs.get(data.documentId) ?? 0) + 1);
    return inner(data, async (p) => {
      progress.push(p);
      await report(p);
    });
  };
  return { processor, runs, progress };
}
