// The composition root on the PostgreSQL store: two engines with separate DATA_DIRs (two "machines", nothing shared
// on disk) on one schema; what one ingests, the other finds after catching up from the store's change log.
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
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

  it("serves from a second DATA_DIR what the first one ingested, deletes included", async () => {
    const schema = `gl_test_${process.pid}_${randomBytes(6).toString("hex")}`;
    cleanups.push(() => dropSchema(schema));
    const env = { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema, REDIS_URL: "redis://127.0.0.1:6379", API_PROCESSES: "1" };
    const a = await openTestEngine(env);
    cleanups.push(a.cleanup);
    const b = await openTestEngine(env);
    cleanups.push(b.cleanup);
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
});
