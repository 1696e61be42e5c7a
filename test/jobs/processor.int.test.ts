import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { FileUploadStore } from "../../src/adapters/file-upload-store.js";
import type { Engine } from "../../src/container.js";
import { AppError, InvalidInputError, TransientError, UnsupportedDocumentError } from "../../src/errors.js";
import type { Embedder } from "../../src/ports/embedder.js";
import { analyze } from "../../src/text/analyzer.js";
import {
  UploadGoneError,
  createIngestProcessor,
  createRetriesExhaustedHandler,
  type IngestProcessorDeps,
} from "../../ingest/processor.js";
import { engineIngestJobs } from "../../ingest/engine-jobs.js";
import { isPermanentFailure } from "../../src/jobs/job-contract.js";
import { openTestEngine } from "../support/temp-engine.js";
import { elfBytes, jobData, markdownManual } from "./support/helpers.js";

let engine: Engine;
let uploads: FileUploadStore;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ engine, cleanup } = await openTestEngine());
  uploads = new FileUploadStore(engine.dataDir);
});
afterEach(async () => cleanup());

function deps(overrides: Partial<IngestProcessorDeps> = {}): IngestProcessorDeps {
  return {
    store: engine.store,
    embedder: engine.embedder,
    uploads,
    settings: (collection) => engine.ingestSettings(collection),
    maxBytes: 1_000_000,
    ...overrides,
  };
}

/** An embedder whose first `failures` calls throw a plain (transient) error. */
function flakyEmbedder(inner: Embedder, failures: number): Embedder {
  let calls = 0;
  return {
    id: inner.id,
    dimensions: inner.dimensions,
    embedQuery: (t) => inner.embedQuery(t),
    embedDocuments: async (texts) => {
      calls += 1;
      if (calls <= failures) throw new Error("embedding endpoint timed out");
      return inner.embedDocuments(texts);
    },
  };
}

describe("ingest job processor", () => {
  it("ingests the upload under the job's document id, reports progress, catches up and removes the upload", async () => {
    const upload = await uploads.save(markdownManual("Hub Guide", "zebracrossing"), "guide.md");
    const seen: number[] = [];
    let caughtUp = 0;
    const processor = createIngestProcessor(deps({ onIngested: async () => void (caughtUp += 1) }));
    const result = await processor({ ...jobData(upload, "manuals/hub-guide", "guide.md"), title: "The Hub Guide" }, (p) => void seen.push(p));
    expect(result.documentIds).toEqual(["manuals/hub-guide"]);
    expect(result.documents).toBe(1);
    expect(result.chunks).toBeGreaterThan(0);
    expect(result.embedded).toBe(result.chunks);
    expect(seen[0]).toBe(10);
    expect(seen).toContain(30);
    expect(seen.at(-1)).toBe(100);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    expect(caughtUp).toBe(1);
    expect(existsSync(upload.path)).toBe(false);
    const doc = await engine.store.getDocument("default", "manuals/hub-guide");
    expect(doc?.title).toBe("The Hub Guide");
    expect(doc?.status).toBe("ready");
    expect((await engine.keywords.search(analyze("zebracrossing"), 3)).length).toBeGreaterThan(0);
  });

  it("keeps record ids for JSONL uploads", async () => {
    const lines = [1, 2, 3].map((i) => JSON.stringify({ id: `kb-${i}`, title: `Article ${i}`, text: `Article ${i} explains the reset button.` }));
    const upload = await uploads.save(Buffer.from(lines.join("\n")), "kb.jsonl");
    const result = await createIngestProcessor(deps())(jobData(upload, "kb.jsonl", "kb.jsonl"), () => undefined);
    expect(result.documentIds).toEqual(["kb-1", "kb-2", "kb-3"]);
    expect(await engine.store.getDocument("default", "kb.jsonl")).toBeUndefined();
  });

  it("on bad input records the failure on the document and removes the upload", async () => {
    const upload = await uploads.save(elfBytes(), "manual.pdf");
    const processor = createIngestProcessor(deps());
    const err = await processor(jobData(upload, "manual", "manual.pdf", "support"), () => undefined).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsupportedDocumentError);
    expect(isPermanentFailure(err)).toBe(true);
    const doc = await engine.store.getDocument("support", "manual");
    expect(doc?.status).toBe("failed");
    expect(doc?.collection).toBe("support");
    expect(doc?.lastError).toMatch(/ELF/);
    // The failed row names the file (as the job received it) and keeps no content.
    expect(doc).toMatchObject({ sourcePath: "manual.pdf", chunkCount: 0 });
    expect(existsSync(upload.path)).toBe(false);
    expect(await engine.store.allChunkIds()).toEqual([]);
  });

  it("on a transient failure keeps the upload for the retry and leaves the document alone", async () => {
    const upload = await uploads.save(markdownManual("Guide", "retrying"), "guide.md");
    const processor = createIngestProcessor(deps({ embedder: flakyEmbedder(engine.embedder, 1) }));
    const data = jobData(upload, "guide", "guide.md");
    const err = await processor(data, () => undefined).catch((e: unknown) => e);
    expect(isPermanentFailure(err)).toBe(false);
    expect(existsSync(upload.path)).toBe(true);
    expect(await engine.store.getDocument("default", "guide")).toBeUndefined();
    const result = await processor(data, () => undefined);
    expect(result.documentIds).toEqual(["guide"]);
    expect(existsSync(upload.path)).toBe(false);
  });

  it("treats a vanished upload as final without marking the document failed", async () => {
    const upload = await uploads.save(markdownManual("Guide", "gone"), "guide.md");
    await uploads.remove(upload.path);
    const err = await createIngestProcessor(deps())(jobData(upload, "guide", "guide.md"), () => undefined).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UploadGoneError);
    expect(isPermanentFailure(err)).toBe(true);
    expect(await engine.store.getDocument("default", "guide")).toBeUndefined();
  });

  it("the retries-exhausted handler records the error and removes the upload", async () => {
    const upload = await uploads.save(markdownManual("Guide", "exhausted"), "guide.md");
    await createRetriesExhaustedHandler({ store: engine.store, uploads })(jobData(upload, "guide", "guide.md"), new Error("endpoint down"));
    expect((await engine.store.getDocument("default", "guide"))?.lastError).toMatch(/after retries: endpoint down/);
    expect(existsSync(upload.path)).toBe(false);
  });

  it("engineIngestJobs catches the engine's vector index up after each job", async () => {
    const upload = await uploads.save(markdownManual("Guide", "vectors"), "guide.md");
    const before = engine.vectors().size;
    const result = await engineIngestJobs(engine, uploads).processor(jobData(upload, "guide", "guide.md"), () => undefined);
    expect(engine.vectors().size).toBe(before + result.chunks);
  });

  it("a job's success never depends on the index save: a failing save is logged, the committed job completes", async () => {
    const { engine: saving, cleanup: done } = await openTestEngine({ INDEX_SAVE_EVERY: "1" });
    try {
      const own = new FileUploadStore(saving.dataDir);
      // A directory where the manifest goes: every save's final rename fails (as the ENOENT race did).
      mkdirSync(join(saving.dataDir, "vectors.manifest.json"));
      const upload = await own.save(markdownManual("Guide", "unsaved"), "guide.md");
      const warnings: string[] = [];
      const logger = { info: () => undefined, warn: (_: object, msg?: string) => void warnings.push(msg ?? ""), error: () => undefined };
      const result = await engineIngestJobs(saving, own, logger).processor(jobData(upload, "guide", "guide.md"), () => undefined);
      expect(result.documentIds).toEqual(["guide"]);
      expect(saving.vectors().size).toBe(result.chunks);
      expect(existsSync(upload.path)).toBe(false);
      expect(warnings.join(" ")).toMatch(/index/);
    } finally {
      rmSync(join(saving.dataDir, "vectors.manifest.json"), { recursive: true, force: true });
      await done();
    }
  });

  it("classifies errors: bad input is permanent, dependencies and bugs are not", () => {
    expect(isPermanentFailure(new InvalidInputError("bad"))).toBe(true);
    expect(isPermanentFailure(new UnsupportedDocumentError("f.pdf", "encrypted"))).toBe(true);
    expect(isPermanentFailure(new AppError("x", 409, "conflict"))).toBe(true);
    expect(isPermanentFailure(new TransientError("redis down"))).toBe(false);
    expect(isPermanentFailure(new Error("ECONNRESET"))).toBe(false);
    expect(isPermanentFailure("string")).toBe(false);
  });
});
