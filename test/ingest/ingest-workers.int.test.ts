import { afterEach, describe, expect, it } from "vitest";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Engine } from "../../src/container.js";
import type { DocumentRepository } from "../../src/ports/document-repository.js";
import { ingestPaths, type IngestPathsOptions } from "../../ingest/ingest-files.js";
import type { IngestDeps } from "../../ingest/pipeline.js";
import { openTestEngine } from "../support/temp-engine.js";

let cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups) await c();
  cleanups = [];
});

const manual = (product: string, extra = "") => `# ${product} Manual

## Power

Press and hold the ${product} power button for three seconds. The LED turns green when the ${product} is on.

## Reset

1. Unplug the ${product}.
2. Hold the reset pin for ten seconds, then plug it back in.
${extra}`;

/** A directory with single- and multi-document files, one of them carrying personal data. */
function writeCorpus(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const p of ["router", "kettle", "speaker", "camera"]) writeFileSync(join(dir, `${p}.md`), manual(p, "\n## Support\n\nWrite to jane.doe@example.com or call +1 415 555 0100.\n"));
  writeFileSync(join(dir, "notes.txt"), "The charger has a crank handle and no battery at all. ".repeat(40));
  const tickets = [1, 2, 3].map((i) => JSON.stringify({ id: `t-${i}`, title: `Note ${i}: screen flickers`, text: `Customer ${i} reports flicker after update ${i}. Contact jane${i}@example.org.` }));
  writeFileSync(join(dir, "tickets.jsonl"), `${tickets.join("\n")}\n`);
}

type Ingest = (options?: Partial<IngestPathsOptions>, deps?: Partial<IngestDeps>) => ReturnType<typeof ingestPaths>;

/** An engine and a corpus; `source` shares another setup's corpus (same paths, so the same records). */
async function setup(source?: string): Promise<{ engine: Engine; dir: string; ingest: Ingest }> {
  const t = await openTestEngine();
  cleanups.push(t.cleanup);
  const dir = source ?? join(t.config.DATA_DIR, "docs-src");
  if (!source) writeCorpus(dir);
  const ingest = (options: Partial<IngestPathsOptions> = {}, deps: Partial<IngestDeps> = {}) =>
    ingestPaths({ store: t.engine.store, embedder: t.engine.embedder, redact: t.engine.redact, ...deps }, [dir], {
      settings: t.engine.ingestSettings(),
      maxBytes: t.config.MAX_FILE_BYTES,
      redaction: { patterns: t.config.REDACT_PATTERNS, policy: t.config.REDACT_POLICY },
      ...options,
    });
  return { engine: t.engine, dir, ingest };
}

/** Everything a store holds that ingestion decides: documents, chunks with keys, vectors, change log, BM25. */
async function snapshot(engine: Engine): Promise<unknown> {
  const { store } = engine;
  const docs = [];
  for (const { createdAt: _c, updatedAt: _u, ...d } of await store.listDocuments()) {
    const chunks = await store.getDocumentChunks(d.collection, d.id);
    const vectors = await store.getVectors(chunks.map((c) => c.id));
    docs.push({ ...d, chunks: chunks.map((c) => ({ ...c, vector: Buffer.from(vectors.get(c.id)!.buffer).toString("base64") })) });
  }
  const bm25 = await Promise.all(["flicker", "reset", "crank", "email"].map((t) => engine.keywords.search([t], 10)));
  return { docs, changes: await engine.changes.since(0, 1_000_000), bm25 };
}

describe("ingest worker threads", () => {
  it("store exactly what in-process ingestion stores, redacted the same way, and re-ingest as a no-op", async () => {
    const inProcess = await setup();
    const pooled = await setup(inProcess.dir);
    const a = await inProcess.ingest({ workers: 0 });
    const b = await pooled.ingest({ workers: 2 });
    expect(b).toEqual({ ...a, errors: [] });
    expect(b).toMatchObject({ documents: 8, added: 8, failed: 0 });
    expect(await snapshot(pooled.engine)).toEqual(await snapshot(inProcess.engine));
    expect(JSON.stringify(await pooled.engine.store.getDocumentChunks("default", "router.md"))).not.toContain("jane.doe@example.com");
    const seq = await pooled.engine.changes.lastSeq();
    const again = await pooled.ingest({ workers: 2 });
    expect(again).toMatchObject({ documents: 8, unchanged: 8, embedded: 0 });
    expect(await pooled.engine.changes.lastSeq()).toBe(seq);
  });

  it("re-embeds only new chunks of a changed file and reports it updated", async () => {
    const { engine, dir, ingest } = await setup();
    await ingest({ workers: 1 });
    writeFileSync(join(dir, "router.md"), manual("router", "\n## Battery\n\nThe router battery lasts twelve hours.\n"));
    const summary = await ingest({ workers: 1 });
    expect(summary).toMatchObject({ updated: 1, unchanged: 7, failed: 0 });
    expect(summary.embedded).toBeGreaterThan(0);
    expect(summary.embedded).toBeLessThan((await engine.store.getDocument("default", "router.md"))!.chunkCount);
    expect((await engine.store.getChunks((await engine.keywords.search(["twelv"], 5)).map((h) => h.chunkId))).map((c) => c.documentId)).toEqual(["router.md"]);
  });

  it("reports a bad file by name, stores nothing of it and keeps the others; afterWrite indexes as it goes", async () => {
    const { engine, dir, ingest } = await setup();
    writeFileSync(join(dir, "empty.md"), "");
    writeFileSync(join(dir, "fake.pdf"), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 1, 2, 3, 0]));
    let writes = 0;
    const summary = await ingest({ workers: 2, afterWrite: () => (writes++, engine.indexes.catchUp()) });
    expect(summary).toMatchObject({ documents: 8, added: 8, failed: 2 });
    expect(summary.errors.map((e) => e.file)).toEqual([join(dir, "empty.md"), join(dir, "fake.pdf")]);
    expect(await engine.store.getDocument("default", "empty.md")).toBeUndefined();
    expect(writes).toBeGreaterThan(0);
    expect(engine.indexes.position).toBe(await engine.changes.lastSeq());
  });

  it("the vector index catches up in slices when asked to", async () => {
    const { engine, ingest } = await setup();
    await ingest({ workers: 0 });
    const start = engine.indexes.position;
    expect(await engine.indexes.catchUp(3)).toBe(3);
    expect(engine.vectors().size).toBe(3);
    const rest = await engine.indexes.catchUp();
    expect(engine.indexes.position).toBe(await engine.changes.lastSeq());
    expect(3 + rest).toBe((await engine.changes.since(start, 1_000_000)).length);
    expect(engine.vectors().size).toBe((await engine.store.allChunkIds()).length);
  });

  it("isolates a file whose write fails: the batch is retried file by file", async () => {
    const { engine, ingest } = await setup();
    const store = engine.store;
    const failing: DocumentRepository = Object.create(store) as DocumentRepository;
    failing.replaceDocuments = async (writes) => {
      if (writes.some((w) => w.doc.id === "t-2")) throw new Error("disk says no");
      return await store.replaceDocuments(writes);
    };
    const summary = await ingest({ workers: 1 }, { store: failing });
    expect(summary.failed).toBe(1);
    expect(summary.errors[0]).toMatchObject({ file: expect.stringContaining("tickets.jsonl"), error: "disk says no" });
    // The whole multi-record file is left out, the other files are stored.
    expect(await Promise.all(["t-1", "t-2", "t-3"].map((id) => store.getDocument("default", id)))).toEqual([undefined, undefined, undefined]);
    expect(await store.countDocuments()).toBe(5);
    expect(new Set((await engine.changes.since(0, 10_000)).map((c) => c.chunkId)).size).toBe((await store.allChunkIds()).length);
  });
});
