import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAnswering, createEngineAssist, openAnalytics } from "../../src/container.js";
import { createApp } from "../../src/http/create-app.js";
import { parseApiKeys } from "../../src/http/middleware/auth.js";
import type { AnalyticsStore } from "../../src/ports/analytics-store.js";
import { ingestPaths } from "../../ingest/ingest-files.js";
import { openTestEngine } from "../support/temp-engine.js";
import { FakeJobQueue, FakeUploadStore } from "./fakes.js";
import { DEFAULT_LIMITS, captureLogger } from "./harness.js";

// /suggest and /answer results come only from the key's collections: manuals in `manuals`, past tickets in `secret`.
const CORPORA = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "corpora");
const KEYS = "man:sk-m:answer+assist:manuals,all:sk-all:answer+assist";

let t: Awaited<ReturnType<typeof openTestEngine>>;
let analytics: AnalyticsStore;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  t = await openTestEngine();
  const deps = { store: t.engine.store, embedder: t.engine.embedder, redact: t.engine.redact };
  const options = (collection: string) => ({ settings: t.engine.ingestSettings(collection), maxBytes: t.config.MAX_FILE_BYTES });
  await ingestPaths(deps, [join(CORPORA, "manual")], options("manuals"));
  await ingestPaths(deps, [join(CORPORA, "tickets")], options("secret"));
  await t.engine.indexes.catchUp();
  const answering = await createAnswering(t.engine);
  analytics = openAnalytics(t.engine);
  app = createApp({
    answering, assist: createEngineAssist(t.engine, answering, analytics), store: t.engine.store, queue: new FakeJobQueue(),
    uploads: new FakeUploadStore(), logger: captureLogger().logger, auth: parseApiKeys(KEYS), limits: DEFAULT_LIMITS,
    readiness: async () => ({ store: true }), defaultCollection: "default",
  });
}, 60_000);

afterAll(async () => {
  analytics.close();
  await t.cleanup();
});

// Worded with terms the manuals hold: keyword statistics are those of the key's collections, so words that only the
// secret tickets contain would count as unseen for the manuals-only key (and lower its confidence), as they should.
const THREAD = [{ role: "customer", text: "Since the new router the hub blinks amber and the app says Offline." }];

describe("results only from the key's collections", () => {
  it("/suggest: a manuals-only key gets no similar tickets of another collection; an unlimited key does", async () => {
    const all = await request(app).post("/suggest").set("Authorization", "Bearer sk-all").send({ messages: THREAD });
    expect(all.status).toBe(200);
    expect((all.body as { similarTickets: unknown[] }).similarTickets.length).toBeGreaterThan(0);

    const limited = await request(app).post("/suggest").set("Authorization", "Bearer sk-m").send({ messages: THREAD });
    expect(limited.status).toBe(200);
    const body = limited.body as { similarTickets: unknown[]; suggestions: Array<{ citations: Array<{ documentId: string }>; basis: string }> };
    expect(body.similarTickets).toEqual([]);
    expect(body.suggestions.every((s) => s.basis !== "tickets")).toBe(true);
    const cited = body.suggestions.flatMap((s) => s.citations);
    expect(cited.length).toBeGreaterThan(0);
    for (const c of cited) expect(await t.engine.store.getDocument("manuals", c.documentId)).toBeDefined();
  });

  it("/answer and /v1/chat/completions cite only the key's collections", async () => {
    const question = "Hub blinks amber three times after the router was replaced, app says Offline";
    const answer = await request(app).post("/answer").set("Authorization", "Bearer sk-m").send({ question });
    const citations = (answer.body as { citations: Array<{ documentId: string }> }).citations;
    expect(citations.length).toBeGreaterThan(0);
    for (const c of citations) expect(await t.engine.store.getDocument("manuals", c.documentId)).toBeDefined();
    const chat = await request(app).post("/v1/chat/completions").set("Authorization", "Bearer sk-m")
      .send({ model: "groundline", messages: [{ role: "user", content: question }] });
    expect(chat.status).toBe(200);
    expect(JSON.stringify(chat.body)).not.toMatch(/"documentId":"T-/);
  });
});
