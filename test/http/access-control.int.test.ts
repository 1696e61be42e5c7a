import { afterEach, describe, expect, it } from "vitest";
import request from "supertest";
import type { AnswerRequest } from "../../src/answer/answer.js";
import { useTestApps, type TestApp, type TestAppOptions } from "./harness.js";

const setup = useTestApps();

const KEYS = "bot:sk-bot-123:answer,content:sk-c-456:ingest+answer:manuals|faq,ops:sk-ops-789:admin";
const MD = Buffer.from("# Setup\n\nPlug the widget in.\n");
const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

describe("API keys", () => {
  it("401 without or with a wrong key (WWW-Authenticate: Bearer); health probes stay open", async () => {
    const t = await setup({ apiKeys: KEYS });
    const none = await request(t.app).post("/answer").send({ question: "hi" });
    expect(none.status).toBe(401);
    expect(none.headers["www-authenticate"]).toMatch(/^Bearer/);
    expect(none.body.type).toMatch(/unauthorized$/);
    expect((await request(t.app).get("/documents").set(bearer("sk-bot-1234"))).status).toBe(401);
    expect((await request(t.app).get("/documents").set("Authorization", "Basic c2stb3Bz")).status).toBe(401);
    expect((await request(t.app).get("/healthz")).status).toBe(200);
    expect((await request(t.app).get("/readyz")).status).toBe(200);
    expect((await request(t.app).get("/no-such-route")).status).toBe(401);
  });

  it("403 for a key without the route's scope; admin implies every scope; X-API-Key works", async () => {
    const t = await setup({ apiKeys: KEYS });
    const denied = await request(t.app).get("/documents").set(bearer("sk-bot-123"));
    expect(denied.status).toBe(403);
    expect(denied.body.detail).toMatch(/'bot'.*'ingest'/);
    expect((await request(t.app).get("/metrics").set(bearer("sk-c-456"))).status).toBe(403);
    expect((await request(t.app).get("/DOCUMENTS").set(bearer("sk-bot-123"))).status).toBe(403);
    expect((await request(t.app).post("/answer").set(bearer("sk-bot-123")).send({ question: "How do I reset?" })).status).toBe(200);
    expect((await request(t.app).get("/documents").set("X-API-Key", "sk-c-456")).status).toBe(200);
    expect((await request(t.app).get("/metrics").set(bearer("sk-ops-789"))).status).toBe(200);
    expect((await request(t.app).get("/documents").set(bearer("sk-ops-789"))).status).toBe(200);
  });

  it("collection-limited keys: answer filters intersected, forbidden collections 403, listings restricted", async () => {
    const seen: AnswerRequest[] = [];
    const t = await setup({ apiKeys: KEYS, answering: (real) => ({ retrieve: real.retrieve, answer: (r) => (seen.push(r), real.answer(r)) }) });
    const key = bearer("sk-c-456");
    await request(t.app).post("/answer").set(key).send({ question: "How do I reset?" });
    expect(seen[0]?.filters?.collections).toEqual(["manuals", "faq"]);
    await request(t.app).post("/answer").set(key).send({ question: "How do I reset?", filters: { collections: ["faq"], sourceTypes: ["manual"] } });
    expect(seen[1]?.filters).toEqual({ collections: ["faq"], sourceTypes: ["manual"] });
    expect((await request(t.app).post("/answer").set(key).send({ question: "x", filters: { collections: ["default"] } })).status).toBe(403);

    // A key of several collections must say which one; naming a forbidden one is 403.
    expect((await request(t.app).post("/documents").set(key).attach("file", MD, "a.md")).status).toBe(400);
    expect((await request(t.app).post("/documents").set(key).field("collection", "secret").attach("file", MD, "a.md")).status).toBe(403);
    expect(t.queue.enqueued).toEqual([]);
    expect((await request(t.app).post("/documents").set(key).field("collection", "faq").attach("file", MD, "a.md")).status).toBe(202);

    // The manual lives in "default": invisible to this key.
    expect((await request(t.app).get("/documents").set(key)).body).toMatchObject({ items: [], total: 0 });
    expect((await request(t.app).get("/documents?collection=default").set(key)).status).toBe(403);
    expect((await request(t.app).get("/documents/manual/widget.md?collection=faq").set(key)).status).toBe(404);
    expect((await request(t.app).delete("/documents/manual/widget.md?collection=faq").set(key)).status).toBe(404);
    expect((await request(t.app).get("/documents/manual/widget.md?collection=default").set(key)).status).toBe(403);
    expect(await t.store.getDocument("default", "manual/widget.md")).toBeDefined();
    // A PUT in the key's own collection is another document (faq, manual/widget.md): the default one is not touched.
    expect((await request(t.app).put("/documents/manual/widget.md").set(key).field("collection", "faq").attach("file", MD, "w.md")).status).toBe(202);
    expect(t.queue.enqueued.at(-1)).toMatchObject({ collection: "faq", documentId: "manual/widget.md" });
    expect((await request(t.app).put("/documents/manual/widget.md").set(key).field("collection", "default").attach("file", MD, "w.md")).status).toBe(403);
    expect((await request(t.app).get("/documents").set(bearer("sk-ops-789"))).body.total).toBe(1);

    // Jobs are visible only for the key's collections.
    const foreign = await request(t.app).post("/documents").set(bearer("sk-ops-789")).attach("file", MD, "b.md");
    const foreignJob = (foreign.body as { jobs: Array<{ id: string }> }).jobs[0]!.id;
    const own = (await request(t.app).get("/jobs").set(key)).body as { items: Array<{ collection: string }> };
    expect(own.items.length).toBeGreaterThan(0);
    expect(own.items.every((j) => j.collection === "faq")).toBe(true);
    expect((await request(t.app).get(`/jobs/${foreignJob}`).set(key)).status).toBe(404);
    expect((await request(t.app).get(`/jobs/${foreignJob}`).set(bearer("sk-ops-789"))).status).toBe(200);
  });

  it("logs the key name, never the key", async () => {
    const t = await setup({ apiKeys: KEYS });
    await request(t.app).post("/answer").set(bearer("sk-bot-123")).set("X-Request-Id", "req-42").send({ question: "How do I reset the widget?" });
    const line = t.logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.requestId === "req-42");
    expect(line).toMatchObject({ method: "POST", route: "/answer", status: 200, key: "bot" });
    expect(typeof line?.ms).toBe("number");
    const all = t.logs.join("\n");
    expect(all).not.toContain("sk-bot-123");
    expect(all).not.toContain("reset the widget");
  });
});

describe("rate limiting", () => {
  it("429 with Retry-After once a key exceeds its per-minute budget; other keys are unaffected", async () => {
    const t = await setup({ apiKeys: KEYS, limits: { rateLimitPerMinute: 3 } });
    for (let i = 0; i < 3; i++) {
      const ok = await request(t.app).get("/documents").set(bearer("sk-c-456"));
      expect(ok.status).toBe(200);
      expect(ok.headers["ratelimit-remaining"]).toBe(String(2 - i));
    }
    const limited = await request(t.app).get("/documents").set(bearer("sk-c-456"));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    expect(limited.body.type).toMatch(/rate-limited$/);
    expect((await request(t.app).get("/documents").set(bearer("sk-ops-789"))).status).toBe(200);
    expect((await request(t.app).get("/healthz")).status).toBe(200);
  });

  it("limits per client IP without keys, and counts failed authentications", async () => {
    const open = await setup({ limits: { rateLimitPerMinute: 2 } });
    await request(open.app).get("/jobs");
    await request(open.app).get("/jobs");
    expect((await request(open.app).get("/jobs")).status).toBe(429);
    const keyed = await setup({ apiKeys: KEYS, limits: { rateLimitPerMinute: 2 } });
    await request(keyed.app).get("/jobs").set(bearer("wrong-1"));
    await request(keyed.app).get("/jobs").set(bearer("wrong-2"));
    expect((await request(keyed.app).get("/jobs").set(bearer("wrong-3"))).status).toBe(429);
  });
});
