import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LocalHashEmbedder } from "../../src/adapters/local-embedder.js";
import { isPermanentFailure } from "../../src/jobs/job-contract.js";
import { ParseSandbox } from "../../ingest/sandbox/parse-sandbox.js";
import { DEFAULT_LOADER_LIMITS } from "../../ingest/loaders/limits.js";
import type { ParseLimits } from "../../ingest/sandbox/parse-limits.js";
import { flateBombPdf, manyPagesPdf } from "../support/hostile-files.js";

const dir = mkdtempSync(join(tmpdir(), "groundline-sandbox-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const embedder = new LocalHashEmbedder({ dimensions: 64 });
const settings = { collection: "default", maxTokens: 120, overlapTokens: 10 };
const LIMITS: ParseLimits = { ...DEFAULT_LOADER_LIMITS, timeoutMs: 60_000, maxHeapMb: 512, maxRssMb: 1024 };

function sandbox(limits: Partial<ParseLimits> = {}): ParseSandbox {
  return new ParseSandbox({ limits: { ...LIMITS, ...limits }, embedderId: embedder.id, embedder: embedder.options });
}

function file(name: string, bytes: Buffer): { path: string; fileName: string; id: string; maxBytes: number; settings: typeof settings } {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return { path, fileName: name, id: name, maxBytes: 100 * 1024 * 1024, settings };
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  const err: unknown = await promise.then(() => undefined, (e: unknown) => e);
  expect(isPermanentFailure(err)).toBe(true);
  return err as Error;
}

const MANUAL = `# Hub manual\n\n${Array.from({ length: 40 }, (_, i) => `## Step ${i}\n\nPress the reset button ${i} times, then wait for the blue light to blink.`).join("\n\n")}\n`;

describe("ParseSandbox", () => {
  it("loads, chunks and embeds a file in a child exactly as planned: known chunks are not embedded again", async () => {
    const first = await sandbox().prepare(file("hub.md", Buffer.from(MANUAL)), async (records) => records.map(() => []));
    expect(first.records.map((r) => r.id)).toEqual(["hub.md"]);
    const doc = first.docs.get(0)!;
    expect(doc.chunks.length).toBeGreaterThan(3);
    const fresh = doc.fresh!.reduce((n, f) => n + f.length, 0);
    expect(fresh).toBe(doc.chunks.length * embedder.dimensions);
    const known = doc.chunks.slice(0, 2).map((c) => c.chunk.contentHash);
    const again = await sandbox().prepare(file("hub.md", Buffer.from(MANUAL)), async () => [known]);
    expect(again.docs.get(0)!.fresh!.reduce((n, f) => n + f.length, 0)).toBe((doc.chunks.length - 2) * embedder.dimensions);
    const skipped = await sandbox().prepare(file("hub.md", Buffer.from(MANUAL)), async () => [null]);
    expect(skipped.docs.size).toBe(0);
  });

  it("kills a parse past PARSE_TIMEOUT_MS", async () => {
    const pdf = file("long.pdf", await manyPagesPdf(3000));
    const started = Date.now();
    const err = await failure(sandbox({ timeoutMs: 1500 }).prepare(pdf, async (r) => r.map(() => [])));
    expect(err.message).toBe("long.pdf: parsing took longer than 1500 ms (PARSE_TIMEOUT_MS)");
    // Killed at the timeout, not after parsing all 3,000 pages; the margin covers forking the child on a loaded machine.
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 60_000);

  it("kills a parse whose resident size passes PARSE_MAX_RSS_MB (inflated buffers the heap cap does not see)", async () => {
    const bomb = file("bomb.pdf", await flateBombPdf(600 * 1024 * 1024));
    const err = await failure(sandbox({ maxInflatedBytes: 4 * 1024 ** 3, maxRssMb: 200 }).prepare(bomb, async (r) => r.map(() => [])));
    expect(err.message).toBe("bomb.pdf: parsing used more than 200 MB of memory (PARSE_MAX_RSS_MB)");
  }, 60_000);

  it("reports a child that ran out of heap as over PARSE_MAX_HEAP_MB", async () => {
    const lines = Array.from({ length: 250_000 }, (_, i) => JSON.stringify({ id: `k${i}`, title: `A${i}`, text: `Fan ${i} blocked.` }));
    const err = await failure(sandbox({ maxHeapMb: 64, maxRssMb: 4096 }).prepare(file("kb.jsonl", Buffer.from(lines.join("\n"))), async (r) => r.map(() => [])));
    expect(err.message).toMatch(/^kb\.jsonl: parsing ran out of memory \(heap over 64 MB, PARSE_MAX_HEAP_MB\)$/);
  }, 60_000);

  it("passes a loader's own limit error on, naming the file and the limit", async () => {
    const err = await failure(sandbox({ maxPages: 10 }).prepare(file("eleven.pdf", await manyPagesPdf(11)), async (r) => r.map(() => [])));
    expect(err.message).toMatch(/^eleven\.pdf: 11 pages are over the limit of 10 \(PARSE_MAX_PAGES\)$/);
  }, 60_000);

  it("fails when the plan throws, and stops the child", async () => {
    const err: unknown = await sandbox().prepare(file("hub2.md", Buffer.from(MANUAL)), () => {
      throw new Error("store is closed");
    }).catch((e: unknown) => e);
    expect((err as Error).message).toBe("store is closed");
  });
});
