import { afterEach, describe, expect, it } from "vitest";
import { mkdirSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openEngine } from "../../src/container.js";
import { ingestPaths } from "../../ingest/ingest-files.js";
import { openTestEngine } from "../support/temp-engine.js";

const manual = (extra = "") => `# Widget Manual

## Power

Press and hold the power button for three seconds to turn the widget on. The LED turns green.

## Reset

1. Unplug the widget.
2. Hold the reset pin for ten seconds.
3. Plug it back in and wait for the blue LED.
${extra}
`;

let cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups) await c();
  cleanups = [];
});

async function setup() {
  const t = await openTestEngine();
  cleanups.push(t.cleanup);
  const docsDir = join(t.config.DATA_DIR, "docs-src");
  mkdirSync(docsDir, { recursive: true });
  const ingest = (paths: string[], prune = false) =>
    ingestPaths({ store: t.engine.store, embedder: t.engine.embedder }, paths, {
      settings: t.engine.ingestSettings(),
      maxBytes: t.config.MAX_FILE_BYTES,
      prune,
    });
  return { ...t, docsDir, ingest };
}

describe("ingestion pipeline", () => {
  it("ingests, then re-ingests unchanged content as a no-op", async () => {
    const { engine, docsDir, ingest } = await setup();
    writeFileSync(join(docsDir, "widget.md"), manual());
    const first = await ingest([docsDir]);
    expect(first).toMatchObject({ documents: 1, added: 1, failed: 0 });
    expect(first.chunks).toBeGreaterThan(0);
    const seqAfterFirst = await engine.changes.lastSeq();
    const second = await ingest([docsDir]);
    expect(second).toMatchObject({ documents: 1, unchanged: 1, embedded: 0, added: 0, updated: 0 });
    expect(await engine.changes.lastSeq()).toBe(seqAfterFirst);
    expect((await engine.store.getDocument("default", "widget.md"))?.chunkCount).toBe(first.chunks);
  });

  it("replaces exactly the changed document's chunks in both indexes", async () => {
    const { engine, docsDir, ingest } = await setup();
    writeFileSync(join(docsDir, "widget.md"), manual());
    writeFileSync(join(docsDir, "other.txt"), "The other product has a crank handle and no battery at all.");
    await ingest([docsDir]);
    const otherBefore = (await engine.store.getDocumentChunks("default", "other.txt")).map((c) => c.id);
    writeFileSync(join(docsDir, "widget.md"), manual("\n## Battery\n\nThe widget battery lasts twelve hours on a full charge.\n"));
    const summary = await ingest([docsDir]);
    expect(summary).toMatchObject({ updated: 1, unchanged: 1 });
    expect(summary.embedded).toBeLessThan(summary.chunks);
    await engine.indexes.catchUp();
    expect((await engine.store.getDocumentChunks("default", "other.txt")).map((c) => c.id)).toEqual(otherBefore);
    const hits = await engine.keywords.search(["batteri", "twelv"], 5);
    expect((await engine.store.getChunks(hits.map((h) => h.chunkId)))[0]?.documentId).toBe("widget.md");
    expect(engine.vectors().size).toBe((await engine.store.allChunkIds()).length);
  });

  it("prunes documents whose files are gone and deletes everywhere", async () => {
    const { engine, docsDir, ingest } = await setup();
    writeFileSync(join(docsDir, "widget.md"), manual());
    writeFileSync(join(docsDir, "gone.txt"), "A temporary note about the crank handle.");
    await ingest([docsDir]);
    unlinkSync(join(docsDir, "gone.txt"));
    const summary = await ingest([docsDir], true);
    expect(summary.pruned).toBe(1);
    expect(await engine.store.getDocument("default", "gone.txt")).toBeUndefined();
    expect(await engine.keywords.search(["crank"], 5)).toEqual([]);
    await engine.indexes.catchUp();
    expect(engine.vectors().size).toBe((await engine.store.allChunkIds()).length);
  });

  it("reports a bad file by name and stores nothing of it", async () => {
    const { engine, docsDir, ingest } = await setup();
    writeFileSync(join(docsDir, "empty.md"), "");
    writeFileSync(join(docsDir, "fake.pdf"), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 1, 2, 3, 0]));
    const seq = await engine.changes.lastSeq();
    const summary = await ingest([docsDir]);
    expect(summary.failed).toBe(2);
    expect(summary.errors.map((e) => e.file).sort()).toEqual([join(docsDir, "empty.md"), join(docsDir, "fake.pdf")].sort());
    expect(await engine.store.countDocuments()).toBe(0);
    expect(await engine.changes.lastSeq()).toBe(seq);
  });

  it("persists across restarts and reloads the saved vector index", async () => {
    const { engine, config, docsDir, ingest } = await setup();
    writeFileSync(join(docsDir, "widget.md"), manual());
    const s = await ingest([docsDir]);
    await engine.indexes.catchUp();
    await engine.close();
    const reopened = await openEngine(config);
    try {
      expect((await reopened.store.getDocument("default", "widget.md"))?.chunkCount).toBe(s.chunks);
      expect(reopened.vectors().size).toBe(s.chunks);
      expect(reopened.indexes.position).toBe(await reopened.changes.lastSeq());
    } finally {
      await reopened.close();
      rmSync(join(config.DATA_DIR, "vectors.hnsw"), { force: true });
    }
  });
});
