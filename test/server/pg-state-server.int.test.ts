// The service on PostgreSQL + Redis: an upload waits in PostgreSQL (not DATA_DIR) for its BullMQ job, which reads it
// back, ingests it and removes it; the job's final state, the answer's analytics, its feedback and a correction's review
// (proposal → curated answer) land in PostgreSQL.
import { randomBytes, randomUUID } from "node:crypto";
import { readdirSync, rmSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { pino } from "pino";
import { startServer } from "../../src/server/start-server.js";
import { testConfig } from "../support/temp-engine.js";
import { TEST_DATABASE_URL, dropSchema } from "../ports/pg-harness.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const MANUAL = "# Zorp Manual\n\n## Flux capacitor\n\nThe zorp flux capacitor must be recharged every 88 days with the blue cable.\n";

describe("the service with DATABASE_URL", () => {
  it("keeps uploads, job states and analytics in PostgreSQL, and nothing of them in DATA_DIR", async () => {
    const schema = `gl_test_${process.pid}_${randomBytes(6).toString("hex")}`;
    cleanups.push(() => dropSchema(schema));
    const config = testConfig({
      PORT: "0", INGEST_ON_START: "false", DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema, REDIS_URL: "redis://127.0.0.1:6379",
      QUEUE_NAME: `test-${randomUUID()}`, API_PROCESSES: "1",
    });
    const server = await startServer(config, pino({ level: "silent" }));
    cleanups.push(async () => {
      await server.close();
      rmSync(config.DATA_DIR, { recursive: true, force: true });
    });
    const { state } = server.engine;
    expect(state.backend).toBe("postgres");

    const form = new FormData();
    form.append("file", new Blob([MANUAL], { type: "text/markdown" }), "zorp.md");
    const res = await fetch(`${server.url}/documents`, { method: "POST", body: form });
    expect(res.status).toBe(202);
    const job = ((await res.json()) as { jobs: Array<{ id: string }> }).jobs[0]!;
    const { ledger } = state.openLedger();
    const end = Date.now() + 20_000;
    while ((await ledger.get(job.id))?.state !== "completed" && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    expect(await ledger.get(job.id)).toMatchObject({ state: "completed", result: { documents: 1 } });
    expect(await state.uploads.list()).toEqual([]);

    const answer = (await (await fetch(`${server.url}/answer`, {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ question: "How often must the zorp flux capacitor be recharged?" }),
    })).json()) as { id: string; answerable: boolean };
    expect(answer.answerable).toBe(true);
    const fb = await fetch(`${server.url}/feedback`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ answerId: answer.id, rating: "up" }) });
    expect(fb.status).toBe(201);
    expect((await state.openAnalytics().summary({})).feedback).toEqual({ up: 1, down: 0, rated: 1 });

    // A correction is a proposal in PostgreSQL: listed, accepted once (a curated answer), then 409.
    const post = (path: string, body: unknown) => fetch(`${server.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    expect((await post("/feedback", { answerId: answer.id, rating: "down", correctedAnswer: "Every 88 days, with the blue cable." })).status).toBe(201);
    const open = (await (await fetch(`${server.url}/review/proposals`)).json()) as { total: number; items: Array<{ id: number; answer?: string }> };
    expect(open.total).toBe(1);
    expect(open.items[0]?.answer).toMatch(/88 days/);
    const accepted = await post(`/review/proposals/${open.items[0]!.id}/accept`, {});
    expect(accepted.status).toBe(201);
    const { curated } = (await accepted.json()) as { curated: { id: string; answer: string } };
    expect(curated.answer).toBe("Every 88 days, with the blue cable.");
    expect((await post(`/review/proposals/${open.items[0]!.id}/dismiss`, {})).status).toBe(409);
    expect((await state.openCurated().list()).items.map((c) => c.id)).toEqual([curated.id]);

    const names = readdirSync(config.DATA_DIR, { recursive: true }).map(String);
    for (const shared of ["store.db", "curated.db", "analytics.db", "secret", "uploads"]) expect(names).not.toContain(shared);
    expect(names.filter((n) => n.startsWith("incoming/"))).toEqual([]);
  }, 60_000);
});
