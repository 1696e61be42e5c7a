// The composition root on the PostgreSQL store: two engines with separate DATA_DIRs (two "machines", nothing shared
// on disk) on one schema; what one ingests, the other finds after catching up from the store's change log.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createAnswering } from "../../src/container.js";
import { ingestPaths } from "../../ingest/ingest-files.js";
import { openTestEngine } from "../support/temp-engine.js";
import { TEST_DATABASE_URL, dropSchema } from "../ports/pg-harness.js";

describe("engine on PostgreSQL (DATABASE_URL)", () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  /** Two engines with their own DATA_DIRs on one fresh schema (dropped afterwards): two machines. */
  async function twoMachines(): Promise<[Awaited<ReturnType<typeof openTestEngine>>, Awaited<ReturnType<typeof openTestEngine>>]> {
    const schema = `gl_test_${process.pid}_${randomBytes(6).toString("hex")}`;
    cleanups.push(() => dropSchema(schema));
    const env = { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema, REDIS_URL: "redis://127.0.0.1:6379", API_PROCESSES: "1" };
    const a = await openTestEngine(env);
    cleanups.push(a.cleanup);
    const b = await openTestEngine(env);
    cleanups.push(b.cleanup);
    return [a, b];
  }

  it("serves from a second DATA_DIR what the first one ingested, deletes included", async () => {
    const [a, b] = await twoMachines();
    expect(a.config.DATA_DIR).not.toBe(b.config.DATA_DIR);

    const dir = join(a.config.DATA_DIR, "src");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "router.md"), "# Router\n\n## Factory reset\n\nHold the recessed reset button for ten seconds until the lights blink amber.\n");
    await ingestPaths({ store: a.engine.store, embedder: a.engine.embedder }, [dir], { settings: a.engine.ingestSettings(), maxBytes: 1e6 });

    await b.engine.indexes.catchUp();
    const answering = await createAnswering(b.engine);
    const found = await answering.retrieve("how do I factory reset the router");
    expect(found.chunks.map((c) => c.documentId)).toContain("router.md");
    expect(await b.engine.store.countDocuments()).toBe(1);

    const [doc] = await a.engine.store.listDocuments();
    expect(await a.engine.store.deleteDocument(doc!.collection, doc!.id)).toBe(true);
    await b.engine.indexes.catchUp();
    const after = await answering.retrieve("how do I factory reset the router");
    expect(after.chunks).toEqual([]);
  });

  it("keeps uploads, job states, curated answers, analytics, the id key and the first-start lease where every machine sees them, none in DATA_DIR", async () => {
    const [a, b] = await twoMachines();
    expect(a.engine.state.backend).toBe("postgres");

    const upload = await a.engine.state.uploads.save(Buffer.from("# Guide\n"), "guide.md");
    expect((await b.engine.state.uploads.read(upload.path)).toString()).toBe("# Guide\n");
    const data = { collection: "default", documentId: "guide.md", fileName: "guide.md", uploadPath: upload.path, contentHash: upload.contentHash };
    await a.engine.state.openLedger().ledger.recordAccepted("job-1", data);
    expect(await b.engine.state.openLedger().ledger.findByUpload(upload.path)).toMatchObject({ id: "job-1", state: "waiting" });
    await a.engine.state.openCurated().addVersion({ collection: "default", id: "c1", question: "q?", answer: "a.", author: "alice", at: "2026-01-01T00:00:00.000Z" }, false);
    expect((await b.engine.state.openCurated().list()).total).toBe(1);
    await a.engine.state.openAnalytics().recordServed({ id: "s1", kind: "answer", question: "q", outcome: "answered", confidence: 1, citedDocumentIds: [], createdAt: "2026-01-01T00:00:00.000Z" });
    expect((await b.engine.state.openAnalytics().summary({})).total).toBe(1);
    // Ids with personal data hash with one key on every machine (generated once into the store).
    expect(a.engine.documentIds.toStored("alice@example.com")).toBe(b.engine.documentIds.toStored("alice@example.com"));
    expect(await a.engine.state.firstStartLease!.acquire("first-start", "A", 10_000)).toBe(true);
    expect(await b.engine.state.firstStartLease!.acquire("first-start", "B", 10_000)).toBe(false);
    // A machine needs the sandbox's private copy only while its job runs.
    const copy = await b.engine.state.uploads.localPath(upload.path);
    await a.engine.state.uploads.remove(upload.path);
    await b.engine.state.uploads.remove(upload.path);
    expect(existsSync(copy)).toBe(false);

    await a.engine.close();
    for (const dir of [a.config.DATA_DIR, b.config.DATA_DIR]) {
      const names = readdirSync(dir, { recursive: true }).map(String);
      for (const shared of ["store.db", "curated.db", "analytics.db", "secret", "uploads"]) expect(names).not.toContain(shared);
      expect(names.filter((n) => n.startsWith("incoming/"))).toEqual([]);
    }
  });
});
