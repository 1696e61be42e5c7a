import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LocalHashEmbedder } from "../../src/adapters/local-embedder.js";
import { isPermanentFailure } from "../../src/jobs/job-contract.js";
import { ParseSandbox } from "../../ingest/sandbox/parse-sandbox.js";
import { DEFAULT_LOADER_LIMITS } from "../../ingest/loaders/limits.js";
import type { ParseLimits } from "../../ingest/sandbox/parse-limits.js";
import { makeDocx } from "./loaders/docx-fixture.js";

const dir = mkdtempSync(join(tmpdir(), "groundline-docx-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const embedder = new LocalHashEmbedder({ dimensions: 64 });
const settings = { collection: "default", maxTokens: 120, overlapTokens: 10 };
const LIMITS: ParseLimits = { ...DEFAULT_LOADER_LIMITS, timeoutMs: 60_000, maxHeapMb: 512, maxRssMb: 1024 };

function request(name: string, bytes: Buffer) {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return { path, fileName: name, id: name, maxBytes: 100 * 1024 * 1024, settings };
}

describe("DOCX in the parse sandbox", () => {
  it("prepares a Word document's chunks with its heading paths", async () => {
    const docx = makeDocx([{ style: "Heading1", text: "Hub guide" }, { style: "Heading2", text: "Pairing" }, { text: "Hold the pair button for five seconds." }]);
    const sandbox = new ParseSandbox({ limits: LIMITS, embedderId: embedder.id, embedder: embedder.options });
    try {
      const file = await sandbox.prepare(request("hub.docx", docx), async (records) => records.map(() => []));
      expect(file.docs.get(0)?.chunks.map((c) => c.chunk.sectionPath)).toEqual([["Hub guide", "Pairing"]]);
    } finally {
      sandbox.close();
    }
  }, 60_000);

  it("refuses a DOCX zip bomb with a permanent error naming PARSE_MAX_INFLATED_BYTES", async () => {
    const bomb = makeDocx([{ text: "Tiny." }], [{ name: "word/media/padding.bin", data: Buffer.alloc(256 * 1024 * 1024) }]);
    const sandbox = new ParseSandbox({ limits: { ...LIMITS, maxInflatedBytes: 32 * 1024 * 1024 }, embedderId: embedder.id, embedder: embedder.options });
    try {
      const err: unknown = await sandbox.prepare(request("bomb.docx", bomb), async (r) => r.map(() => [])).then(() => undefined, (e: unknown) => e);
      expect(isPermanentFailure(err)).toBe(true);
      expect((err as Error).message).toBe("bomb.docx: zip entries inflate to over the limit of 33554432 (PARSE_MAX_INFLATED_BYTES)");
    } finally {
      sandbox.close();
    }
  }, 60_000);
});
