import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";
import { FileUploadStore } from "../../src/adapters/file-upload-store.js";
import { SqliteJobQueue } from "../../src/adapters/sqlite-job-queue.js";
import { createAnswering, createEngineAssist, openAnalytics } from "../../src/container.js";
import { createApp, type AppDeps } from "../../src/http/create-app.js";
import { parseApiKeys } from "../../src/http/middleware/auth.js";
import type { AnalyticsStore } from "../../src/ports/analytics-store.js";
import type { JobInfo } from "../../src/ports/job-queue.js";
import { engineIngestJobs } from "../../ingest/engine-jobs.js";
import { openTestEngine } from "../support/temp-engine.js";
import { DEFAULT_LIMITS, captureLogger } from "./harness.js";

// Issue #10 findings 1-4: collections are a security boundary, through HTTP with real keys, a real store and the
// embedded job queue running the real ingestion processor.
const KEYS = [
  "content:sk-c:ingest+answer:manuals|faq",
  "ingB:sk-b:ingest+answer:secret",
  "man:sk-m:ingest+answer:manuals",
  "opsM:sk-om:admin:manuals",
  "ops:sk-ops:admin",
].join(",");
const C = { Authorization: "Bearer sk-c" };
const B = { Authorization: "Bearer sk-b" };
const M = { Authorization: "Bearer sk-m" };
const OPS_M = { Authorization: "Bearer sk-om" };
const OPS = { Authorization: "Bearer sk-ops" };

const SECRET_TEXT = "The nightjar vault opens with the brass key kept behind the boiler. Nightjar door code rotates monthly.";
const HIJACK_TEXT = "Hijacked nightjar text: the manuals team wrote this about the nightjar lamp and its nightjar bulb.";

interface Ctx {
  app: ReturnType<typeof createApp>;
  queue: SqliteJobQueue;
  analytics: AnalyticsStore;
  cleanup: () => Promise<void>;
  run: () => void;
  deps: AppDeps;
}

let current: Ctx | undefined;
afterEach(async () => {
  await current?.cleanup();
  current = undefined;
});

async function setup(): Promise<Ctx> {
  const t = await openTestEngine();
  const uploads = new FileUploadStore(t.engine.dataDir);
  const queue = new SqliteJobQueue({ dataDir: t.engine.dataDir, backoffMs: 50, pollMs: 25, uploads });
  const answering = await createAnswering(t.engine);
  const analytics = openAnalytics(t.engine);
  const deps: AppDeps = {
    answering,
    assist: createEngineAssist(t.engine, answering, analytics),
    store: t.engine.store,
    queue,
    uploads,
    logger: captureLogger().logger,
    auth: parseApiKeys(KEYS),
    limits: DEFAULT_LIMITS,
    readiness: async () => ({ store: true }),
    defaultCollection: "default",
  };
  const jobs = engineIngestJobs(t.engine, uploads);
  const ctx: Ctx = {
    app: createApp(deps),
    queue,
    analytics,
    deps,
    run: () => queue.start(jobs.processor, { concurrency: 1, onRetriesExhausted: jobs.onRetriesExhausted }),
    cleanup: async () => {
      await queue.close();
      analytics.close();
      await t.cleanup();
    },
  };
  current = ctx;
  return ctx;
}

async function settled(queue: SqliteJobQueue, id: string): Promise<JobInfo> {
  const until = Date.now() + 15_000;
  for (;;) {
    const info = await queue.get(id);
    if (info?.state === "completed" || info?.state === "failed") return info;
    if (Date.now() > until) throw new Error(`job ${id} did not finish: ${JSON.stringify(info)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function postJson(ctx: Ctx, key: Record<string, string>, body: Record<string, unknown>, query = ""): Promise<string> {
  const res = await request(ctx.app).post(`/documents${query}`).set(key).send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return (res.body as { jobs: Array<{ id: string }> }).jobs[0]!.id;
}

async function secretNightjar(ctx: Ctx): Promise<void> {
  const job = await postJson(ctx, B, { id: "nightjar.md", title: "Vault notes", text: SECRET_TEXT, collection: "secret" });
  expect((await settled(ctx.queue, job)).state).toBe("completed");
}

describe("collections are a security boundary", () => {
  it("finding 1: a JSON POST naming another collection's document id creates a separate document", async () => {
    const ctx = await setup();
    ctx.run();
    await secretNightjar(ctx);
    const job = await postJson(ctx, C, { id: "nightjar.md", title: "Hijacked", text: HIJACK_TEXT, collection: "manuals" });
    expect((await settled(ctx.queue, job)).state).toBe("completed");

    const secret = await request(ctx.app).get("/documents/nightjar.md?collection=secret").set(B);
    expect(secret.status).toBe(200);
    expect(secret.body).toMatchObject({ id: "nightjar.md", collection: "secret", title: "Vault notes" });
    const manuals = await request(ctx.app).get("/documents/nightjar.md?collection=manuals").set(C);
    expect(manuals.status).toBe(200);
    expect(manuals.body).toMatchObject({ id: "nightjar.md", collection: "manuals", title: "Hijacked" });
    // The manuals-only answer key never gets the secret text.
    const answer = await request(ctx.app).post("/answer").set(M).send({ question: "Where is the nightjar vault brass key?" });
    expect(JSON.stringify(answer.body)).not.toContain("boiler");
  });

  it("finding 1: the same with a multipart id= field", async () => {
    const ctx = await setup();
    ctx.run();
    await secretNightjar(ctx);
    const res = await request(ctx.app).post("/documents").set(C).field("id", "nightjar.md").field("collection", "manuals")
      .attach("file", Buffer.from(`# Hijacked\n\n${HIJACK_TEXT}\n`), "x.md");
    expect(res.status).toBe(202);
    expect((await settled(ctx.queue, (res.body as { jobs: Array<{ id: string }> }).jobs[0]!.id)).state).toBe("completed");
    expect((await request(ctx.app).get("/documents/nightjar.md?collection=secret").set(B)).body).toMatchObject({ title: "Vault notes", collection: "secret" });
    expect((await request(ctx.app).get("/documents/nightjar.md?collection=manuals").set(C)).body).toMatchObject({ collection: "manuals" });
    const all = await request(ctx.app).get("/documents").set(OPS);
    expect((all.body as { total: number }).total).toBe(2);
  });

  it("finding 2: DELETE by another collection's key does not cancel a queued job", async () => {
    const ctx = await setup();
    const job = await postJson(ctx, B, { id: "nightjar.md", title: "Vault notes", text: SECRET_TEXT, collection: "secret" });
    const del = await request(ctx.app).delete("/documents/nightjar.md?collection=manuals").set(C);
    expect(del.status).toBe(404);
    expect((await request(ctx.app).delete("/documents/nightjar.md").set(M)).status).toBe(404);
    expect((await ctx.queue.get(job))?.state).toBe("waiting");
    ctx.run();
    expect((await settled(ctx.queue, job)).state).toBe("completed");
    expect((await request(ctx.app).get("/documents/nightjar.md").set(B)).status).toBe(200);
  });

  it("finding 4: another collection's document is answered exactly like a missing one (no 403 oracle)", async () => {
    const ctx = await setup();
    ctx.run();
    await secretNightjar(ctx);
    // Same problem, apart from echoing the id the request gave.
    const strip = (body: Record<string, unknown>) => ({ ...body, detail: String(body.detail).replace(/nightjar\.md|nope\.md/g, "ID"), id: undefined, instance: undefined, requestId: undefined });
    for (const method of ["get", "delete"] as const) {
      const foreign = await request(ctx.app)[method]("/documents/nightjar.md").set(M);
      const missing = await request(ctx.app)[method]("/documents/nope.md").set(M);
      expect(foreign.status).toBe(404);
      expect(foreign.headers["content-type"]).toMatch(/application\/problem\+json/);
      expect(strip(foreign.body as Record<string, unknown>)).toEqual(strip(missing.body as Record<string, unknown>));
    }
    // PUT with the key's own (only) collection replaces nothing outside it: it creates manuals/nightjar.md.
    const put = await request(ctx.app).put("/documents/nightjar.md").set(M).send({ title: "Lamp", text: HIJACK_TEXT });
    expect(put.status).toBe(202);
    expect((await settled(ctx.queue, (put.body as { jobs: Array<{ id: string }> }).jobs[0]!.id)).state).toBe("completed");
    expect((await request(ctx.app).get("/documents/nightjar.md?collection=secret").set(B)).body).toMatchObject({ title: "Vault notes" });
    // Naming a forbidden collection is 403 (the request itself named it: nothing leaks).
    expect((await request(ctx.app).get("/documents/nightjar.md?collection=secret").set(M)).status).toBe(403);
    expect((await request(ctx.app).put("/documents/nightjar.md?collection=secret").set(M).send({ title: "x", text: "y" })).status).toBe(403);
  });

  it("a key with several collections must name one; 400 problem+json otherwise", async () => {
    const ctx = await setup();
    const res = await request(ctx.app).get("/documents/nightjar.md").set(C);
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/collection is required/);
    expect((await request(ctx.app).post("/documents").set(C).send({ title: "t", text: "x" })).status).toBe(400);
  });

  it("finding 3: a manuals-limited admin sees no secret questions or documents in analytics; foreign feedback is 404", async () => {
    const ctx = await setup();
    ctx.run();
    await secretNightjar(ctx);
    const secretAnswer = await request(ctx.app).post("/answer").set(B).send({ question: "Where is the nightjar vault brass key?" });
    expect(secretAnswer.status).toBe(200);
    await request(ctx.app).post("/answer").set(B).send({ question: "How do I defuse the xylophone reactor?" });
    await request(ctx.app).post("/answer").set(M).send({ question: "How do I clean the manuals lamp?" });

    const full = await request(ctx.app).get("/analytics").set(OPS);
    expect(JSON.stringify(full.body)).toContain("nightjar.md");
    expect(JSON.stringify(full.body)).toContain("xylophone");

    const limited = await request(ctx.app).get("/analytics").set(OPS_M);
    expect(limited.status).toBe(200);
    const text = JSON.stringify(limited.body);
    expect(text).not.toContain("nightjar");
    expect(text).not.toContain("xylophone");
    expect((limited.body as { questions: number }).questions).toBe(1);

    const id = (secretAnswer.body as { id: string }).id;
    const fb = await request(ctx.app).post("/feedback").set(M).send({ answerId: id, rating: "down" });
    expect(fb.status).toBe(404);
    const missing = await request(ctx.app).post("/feedback").set(M).send({ answerId: "no-such-answer", rating: "down" });
    expect(fb.body.type).toBe(missing.body.type);
    expect((await request(ctx.app).post("/feedback").set(B).send({ answerId: id, rating: "down" })).status).toBe(201);
  });

  it("/metrics needs an admin key without collection limits", async () => {
    const ctx = await setup();
    expect((await request(ctx.app).get("/metrics").set(OPS_M)).status).toBe(403);
    expect((await request(ctx.app).get("/metrics").set(OPS)).status).toBe(200);
  });

  it("audit log: replace, delete and cancel are recorded with key name and time; GET /audit shows only the key's collections", async () => {
    const ctx = await setup();
    const queued = await postJson(ctx, B, { id: "queued.md", title: "Queued", text: SECRET_TEXT, collection: "secret" });
    expect((await request(ctx.app).delete("/documents/queued.md").set(B)).status).toBe(204);
    expect(await ctx.queue.get(queued)).toBeUndefined();
    ctx.run();
    await secretNightjar(ctx);
    const put = await request(ctx.app).put("/documents/nightjar.md").set(B).send({ title: "Vault v2", text: `${SECRET_TEXT} Updated.` });
    expect(put.status).toBe(202);
    await settled(ctx.queue, (put.body as { jobs: Array<{ id: string }> }).jobs[0]!.id);
    expect((await request(ctx.app).delete("/documents/nightjar.md").set(B)).status).toBe(204);
    // Wait for the ingest to end: a DELETE while the job is running finds neither a waiting job nor a document yet.
    await settled(ctx.queue, await postJson(ctx, M, { id: "lamp.md", title: "Lamp", text: HIJACK_TEXT }));
    expect((await request(ctx.app).delete("/documents/lamp.md").set(M)).status).toBe(204);

    const all = await request(ctx.app).get("/audit").set(OPS);
    expect(all.status).toBe(200);
    const items = (all.body as { items: Array<Record<string, unknown>> }).items;
    expect(items.map((e) => [e.keyName, e.action, e.collection, e.documentId])).toEqual([
      ["man", "delete", "manuals", "lamp.md"],
      ["ingB", "delete", "secret", "nightjar.md"],
      ["ingB", "replace", "secret", "nightjar.md"],
      ["ingB", "cancel", "secret", "queued.md"],
    ]);
    expect(items.every((e) => typeof e.at === "string" && !Number.isNaN(Date.parse(String(e.at))))).toBe(true);
    const limited = await request(ctx.app).get("/audit").set(OPS_M);
    expect((limited.body as { items: Array<{ collection: string }> }).items.map((e) => e.collection)).toEqual(["manuals"]);
    expect((await request(ctx.app).get("/audit").set(B)).status).toBe(403);
  });

  it("documentIds.toStored maps every id a documents route receives", async () => {
    const ctx = await setup();
    const toStored = (raw: string): string => (raw.includes("@") ? `pii-${Buffer.from(raw).toString("hex").slice(0, 8)}` : raw);
    const app = createApp({ ...ctx.deps, documentIds: { toStored } });
    ctx.run();
    const res = await request(app).put("/documents/jane@example.com.md").set(B).send({ title: "Jane", text: SECRET_TEXT });
    expect(res.status).toBe(202);
    expect((res.body as { jobs: Array<{ documentId: string }> }).jobs[0]!.documentId).toBe(toStored("jane@example.com.md"));
    await settled(ctx.queue, (res.body as { jobs: Array<{ id: string }> }).jobs[0]!.id);
    expect((await request(app).get("/documents/jane@example.com.md").set(B)).body).toMatchObject({ id: toStored("jane@example.com.md") });
    const posted = await request(app).post("/documents").set(B).field("id", "bob@example.com").attach("file", Buffer.from("# Bob\n\nBob text here.\n"), "b.md");
    expect((posted.body as { jobs: Array<{ documentId: string }> }).jobs[0]!.documentId).toBe(toStored("bob@example.com"));
    expect((await request(app).delete("/documents/jane@example.com.md").set(B)).status).toBe(204);
    expect((await request(app).get("/documents/jane@example.com.md").set(B)).status).toBe(404);
  });
});
