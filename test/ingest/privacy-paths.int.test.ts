import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ingestIntoEngine } from "../../ingest/ingest-engine.js";
import { openTestEngine } from "../support/temp-engine.js";

/** `npm run ingest` and the start-up ingest (ingestIntoEngine), in-process and with worker threads. */
let cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups) await c();
  cleanups = [];
});

const SECRET = "shared-test-secret-0123456789";

function writeCorpus(dir: string): void {
  mkdirSync(join(dir, "leak.dir@example.com"), { recursive: true });
  writeFileSync(join(dir, "leak.cli@example.com.md"), "# Network\n\nSection 6.2.4.3: the hub answers on 192.168.0.1, netmask 255.255.255.0. Mail jane.doe@example.com.\n");
  writeFileSync(join(dir, "leak.dir@example.com", "notes.md"), "# Notes\n\nHold reset for 12 seconds.\n");
  const ticket = { id: "leak.ticket@example.com", subject: "Flicker", url: "https://x.example.com/?u=leak.url@example.com", messages: [{ role: "customer", text: "My IP is 203.0.113.9" }, { role: "agent", text: "Update the firmware." }] };
  writeFileSync(join(dir, "tickets.jsonl"), `${JSON.stringify(ticket)}\n`);
  writeFileSync(join(dir, "raw.md"), "# Raw\n\nKeep it.\n");
}

describe("REDACT_POLICY and stored ids on the path ingestion (CLI, start-up), in-process and in workers", () => {
  it.each([0, 2])("INGEST_WORKERS=%i", async (workers) => {
    const t = await openTestEngine({ INGEST_WORKERS: String(workers), ID_HMAC_SECRET: SECRET });
    cleanups.push(t.cleanup);
    const dir = join(t.config.DATA_DIR, "src");
    writeCorpus(dir);
    const summary = await ingestIntoEngine(t.engine, [dir], { prune: true });
    expect(summary).toMatchObject({ documents: 4, failed: 0 });
    const ids = t.engine.documentIds;
    const manual = (await t.engine.store.getDocument("default", ids.toStored("leak.cli@example.com.md")))!;
    expect(manual.id).toMatch(/^pii-[0-9a-f]{32}\.md$/);
    expect((await t.engine.store.getDocumentChunks("default", manual.id))[0]?.text).toContain("Section 6.2.4.3: the hub answers on 192.168.0.1, netmask 255.255.255.0. Mail [EMAIL].");
    const ticket = (await t.engine.store.getDocument("default", ids.toStored("leak.ticket@example.com")))!;
    expect(ticket.url).toBe("https://x.example.com/?u=[EMAIL]");
    expect((await t.engine.store.getDocumentChunks("default", ticket.id))[0]?.text).toContain("My IP is [IP]");
    const everything = JSON.stringify(await Promise.all((await t.engine.store.listDocuments()).map(async (d) => ({ d, chunks: await t.engine.store.getDocumentChunks(d.collection, d.id) }))));
    for (const pii of ["leak.cli@example.com", "leak.dir@example.com", "leak.ticket@example.com", "leak.url@example.com", "jane.doe@example.com", "203.0.113.9"]) expect(everything, pii).not.toContain(pii);
    // Pruning still recognises files whose names were hashed.
    rmSync(join(dir, "leak.cli@example.com.md"));
    expect((await ingestIntoEngine(t.engine, [dir], { prune: true })).pruned).toBe(1);
    expect(await t.engine.store.getDocument("default", manual.id)).toBeUndefined();
  });
});
