import { afterEach, describe, expect, it } from "vitest";
import request from "supertest";
import { Registry } from "prom-client";
import { useTestApps, type TestApp, type TestAppOptions } from "./harness.js";

const setup = useTestApps();

describe("health", () => {
  it("GET /healthz is ok; GET /readyz reports checks with 200 or 503", async () => {
    const t = await setup();
    expect((await request(t.app).get("/healthz")).body).toEqual({ status: "ok" });
    expect((await request(t.app).get("/readyz")).body).toEqual({ status: "ready", checks: { store: true, queue: true } });
    const down = await setup({ overrides: { readiness: async () => ({ store: true, queue: false }) } });
    const res = await request(down.app).get("/readyz");
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ status: "not-ready", checks: { store: true, queue: false }, down: ["queue"] });
    const broken = await setup({ overrides: { readiness: async () => Promise.reject(new Error("redis down")) } });
    expect((await request(broken.app).get("/readyz")).status).toBe(503);
  });
});

describe("metrics", () => {
  it("exposes request latency, answer outcomes, ingestion counters and queue depth", async () => {
    const t = await setup();
    await request(t.app).post("/answer").send({ question: "How do I factory reset the widget?" });
    await request(t.app).post("/answer").send({ question: "What is the warranty period?" });
    const md = Buffer.from("# A\n\nText here.\n");
    await request(t.app).post("/documents").attach("file", md, "a.md");
    await request(t.app).post("/documents").attach("file", md, "a.md");
    const res = await request(t.app).get("/metrics");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/plain/);
    const text = res.text;
    expect(text).toMatch(/groundline_http_request_duration_seconds_count\{method="POST",route="\/answer",status="200"\} 2/);
    expect(text).toMatch(/groundline_answers_total\{outcome="answered"\} 1/);
    expect(text).toMatch(/groundline_answers_total\{outcome="refused"\} 1/);
    expect(text).toMatch(/groundline_ingest_jobs_enqueued_total 1/);
    expect(text).toMatch(/groundline_ingest_jobs_deduplicated_total 1/);
    expect(text).toMatch(/groundline_queue_jobs\{state="waiting"\} 1/);
  });

  it("uses the registry it is given, so several apps can coexist", async () => {
    const registry = new Registry();
    const a = await setup({ overrides: { metrics: registry } });
    const b = await setup();
    await request(a.app).get("/healthz");
    expect(await registry.getSingleMetricAsString("groundline_http_request_duration_seconds")).toMatch(/route="\/healthz"/);
    expect((await request(b.app).get("/metrics")).text).not.toMatch(/route="\/healthz"/);
  });
});

describe("request ids and errors", () => {
  it("echoes a sane X-Request-Id and replaces an unsafe one", async () => {
    const t = await setup();
    expect((await request(t.app).get("/healthz").set("X-Request-Id", "abc-123")).headers["x-request-id"]).toBe("abc-123");
    const replaced = (await request(t.app).get("/healthz").set("X-Request-Id", "bad id\twith spaces")).headers["x-request-id"];
    expect(replaced).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers unknown routes with a 404 problem", async () => {
    const t = await setup();
    const res = await request(t.app).get("/nope?x=1");
    expect(res.status).toBe(404);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 404, title: "Not Found", instance: "/nope" });
    expect(res.body.requestId).toBe(res.headers["x-request-id"]);
  });

  it("hides internal error messages behind a 500 problem", async () => {
    const t = await setup({ answering: (real) => ({ retrieve: real.retrieve, answer: async () => Promise.reject(new Error("secret stack detail")) }) });
    const res = await request(t.app).post("/answer").send({ question: "How?" });
    expect(res.status).toBe(500);
    expect(res.body.detail).toBe("internal error");
    expect(JSON.stringify(res.body)).not.toContain("secret");
    expect(t.logs.join("")).toContain("secret stack detail");
  });
});
