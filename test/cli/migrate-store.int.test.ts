// `npm run migrate-store`: a small embedded store goes SQLite → PostgreSQL → SQLite through the command and comes back
// with the same documents, chunks, vectors (byte equal), curated answers, analytics, job states and search results.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAnswering, type Engine } from "../../src/container.js";
import { loadConfig } from "../../src/config.js";
import { openEngine } from "../../src/container.js";
import { TEST_DATABASE_URL, dropSchema } from "../ports/pg-harness.js";
import { openTestEngineWith } from "../support/temp-engine.js";

const schema = `gl_test_${process.pid}_${randomBytes(6).toString("hex")}`;
const root = mkdtempSync(join(tmpdir(), "groundline-migrate-"));
const pgEnv = { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema, REDIS_URL: "redis://127.0.0.1:6379" };
const QUESTIONS = ["how do I factory reset the router", "pair the remote", "warranty period"];

function migrate(dataDir: string, args: string[], env: Record<string, string> = pgEnv) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/migrate-store.ts", ...args], {
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: "silent", ...env },
    encoding: "utf8",
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Everything the round trip must keep, read through the ports. */
async function snapshot(engine: Engine) {
  const documents = await engine.store.listDocuments();
  const chunks = [];
  const vectors: Record<string, string> = {};
  for (const d of documents) {
    const cs = await engine.store.getDocumentChunks(d.collection, d.id);
    chunks.push(...cs);
    for (const [id, v] of await engine.store.getVectors(cs.map((c) => c.id))) vectors[id] = Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("hex");
  }
  const answering = await createAnswering(engine);
  const search = [];
  for (const q of QUESTIONS) search.push((await answering.retrieve(q)).chunks.map((c) => c.id));
  const curated = engine.state.openCurated();
  const analytics = engine.state.openAnalytics();
  const { ledger, close } = engine.state.openLedger();
  try {
    const list = await curated.list();
    return {
      documents, chunks, vectors, search,
      curated: await Promise.all(list.items.map((c) => curated.get(c.collection, c.id))),
      analytics: await analytics.summary({}),
      proposals: await analytics.proposals({ limit: 100, offset: 0 }),
      ledger: await ledger.get("job-1"),
      audit: await engine.store.listAudit(),
      stamp: await engine.store.embedderStamp(),
      storedId: engine.documentIds.toStored("alice@example.com"),
    };
  } finally {
    curated.close();
    analytics.close();
    close();
  }
}

async function snapshotOf(env: Record<string, string>, dataDir: string) {
  const engine = await openEngine(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: "silent", ...env }));
  try {
    return await snapshot(engine);
  } finally {
    await engine.close();
  }
}

let original: Awaited<ReturnType<typeof snapshot>>;
let sourceDir: string;

beforeAll(async () => {
  const t = await openTestEngineWith({
    "router.md": "# Router\n\n## Factory reset\n\nHold the recessed reset button for ten seconds until the lights blink amber.\n",
    "remote.md": "# Remote\n\n## Pairing\n\nHold the Home button for five seconds to pair the remote.\n\n## Warranty\n\nThe warranty period is two years.\n",
  });
  sourceDir = t.config.DATA_DIR;
  const { engine } = t;
  await engine.store.markFailed("default", "broken.pdf", "not a PDF", { title: "broken.pdf", sourceType: "manual", format: "application/pdf" });
  await engine.store.recordAudit({ at: "2026-01-01T00:00:00.000Z", keyName: "ops", action: "delete", collection: "default", documentId: "old.md", count: 1 });
  const curated = engine.state.openCurated();
  await curated.addVersion({ collection: "default", id: "c-1", question: "Price?", answer: "Ask sales.", author: "alice", at: "2026-01-01T00:00:00.000Z" }, false);
  await curated.addVersion({ collection: "default", id: "c-1", question: "Price?", answer: "See the price list.", author: "bob", proposedBy: "bot", at: "2026-01-02T00:00:00.000Z" }, true);
  curated.close();
  const analytics = engine.state.openAnalytics();
  await analytics.recordServed({ id: "s-1", kind: "answer", question: "reset?", outcome: "answered", confidence: 0.8, citedDocumentIds: ["router.md"], collections: ["default"], createdAt: "2026-01-03T00:00:00.000Z" });
  await analytics.recordFeedback({ answerId: "s-1", rating: "down", comment: "too short", createdAt: "2026-01-03T00:01:00.000Z" });
  // Two corrections (proposals): one accepted, one still open; the ids must survive the copy.
  await analytics.recordServed({ id: "s-2", kind: "answer", question: "pair?", answer: "I could not find this.", outcome: "refused", confidence: 0.1, citedDocumentIds: [], collections: ["default"], keyName: "bot", createdAt: "2026-01-04T00:00:00.000Z" });
  await analytics.recordFeedback({ answerId: "s-2", rating: "down", correctedAnswer: "Hold Home for five seconds.", keyName: "bot", createdAt: "2026-01-04T00:01:00.000Z" });
  await analytics.recordFeedback({ answerId: "s-2", rating: "down", correctedAnswer: "Hold Home.", comment: "shorter", keyName: "bot", createdAt: "2026-01-04T00:02:00.000Z" });
  const [, first] = (await analytics.proposals({ limit: 10, offset: 0 })).items;
  await analytics.reviewProposal(first!.id, { state: "accepted", by: "curM", at: "2026-01-05T00:00:00.000Z", curatedId: "c-1" });
  analytics.close();
  const { ledger, close } = engine.state.openLedger();
  await ledger.recordAccepted("job-1", { collection: "default", documentId: "router.md", fileName: "router.md", uploadPath: "/gone", contentHash: "a".repeat(64) }, 1_000);
  await ledger.recordFinished("job-1", { state: "completed", result: { documents: 1, chunks: 1, embedded: 1, unchanged: 0, documentIds: ["router.md"] } }, 2_000);
  close();
  original = await snapshot(engine);
  await engine.close();
}, 60_000);

afterAll(async () => {
  await dropSchema(schema);
  rmSync(root, { recursive: true, force: true });
  if (sourceDir) rmSync(sourceDir, { recursive: true, force: true });
});

describe("npm run migrate-store", () => {
  it("round-trips SQLite → PostgreSQL → SQLite with everything equal, refuses a non-empty target, and --force is idempotent", async () => {
    expect(original.documents).toHaveLength(3);
    expect(original.chunks.length).toBeGreaterThan(2);
    expect(original.search.every((ids) => ids.length > 0)).toBe(true);
    expect(original.proposals.items.map((p) => [p.state, p.answer])).toEqual([["open", "I could not find this."], ["accepted", "I could not find this."]]);
    expect(original.curated[0]?.versions.map((v) => v.proposedBy)).toEqual([undefined, "bot"]);

    const toPg = migrate(sourceDir, ["--to", "postgres"]);
    expect(toPg.stderr).not.toMatch(/^error/m);
    expect(toPg.code).toBe(0);
    expect(JSON.parse(toPg.stdout)).toMatchObject({ documents: 3, failedDocuments: 1, chunks: original.chunks.length, curatedAnswers: 1, curatedVersions: 2, served: 2, feedback: 3, ledgerEntries: 1, audit: 1, idSecretCopied: true });
    expect(await snapshotOf(pgEnv, join(root, "machine-b"))).toEqual(original);

    const back = join(root, "back");
    const toSqlite = migrate(back, ["--to=sqlite"]);
    expect(toSqlite.code).toBe(0);
    expect(existsSync(join(back, "store.db"))).toBe(true);
    expect(await snapshotOf({}, back)).toEqual(original);

    const refused = migrate(back, ["--to", "sqlite"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/target is not empty .*--force/);
    const again = migrate(back, ["--to", "sqlite", "--force"]);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ documents: 3, chunks: original.chunks.length, removedFromTarget: 0 });
    expect(await snapshotOf({}, back)).toEqual(original);
  }, 180_000);

  it("rejects bad arguments with a usage message and exit code 2", () => {
    for (const args of [[], ["--to", "mysql"], ["--to", "postgres", "--bogus"], ["--to"]]) {
      const r = migrate(join(root, "unused"), args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/usage: npm run migrate-store/);
    }
    const noDb = migrate(join(root, "unused"), ["--to", "postgres"], {});
    expect(noDb.code).toBe(2);
    expect(noDb.stderr).toMatch(/needs DATABASE_URL/);
    const empty = migrate(join(root, "nothing-here"), ["--to", "postgres"]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/nothing to migrate/);
  }, 60_000);
});
