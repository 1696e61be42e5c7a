// GET /jobs/events: the job event stream the library follows instead of polling each job.
import { describe, expect, it } from "vitest";
import request from "supertest";
import { listen, useTestApps } from "./harness.js";
import { parseSse, readSse } from "./sse-client.js";

const setup = useTestApps();
const MD = Buffer.from("# Setup\n\nPlug the widget in.\n");
const KEYS = "ops:sk-ops:ingest+answer:manuals,other:sk-other:ingest+answer:faq,bot:sk-bot:answer";
const ops = { Authorization: "Bearer sk-ops" };

const data = (e: { data: string }): Record<string, unknown> => JSON.parse(e.data) as Record<string, unknown>;

describe("GET /jobs/events", () => {
  it("streams each job's state and progress as they change, then `end` once all have settled", async () => {
    const t = await setup();
    const upload = await request(t.app).post("/documents").attach("file", MD, "a.md").attach("file", MD, "b.md");
    const [a, b] = (upload.body.jobs as Array<{ id: string }>).map((j) => j.id);
    const server = await listen(t.app);
    try {
      const res = await fetch(`${server.url}/jobs/events?id=${a}&id=${b}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
      const reading = readSse(res);
      await new Promise((r) => setTimeout(r, 400));
      t.queue.update(a!, { state: "active", progress: 40 });
      await new Promise((r) => setTimeout(r, 400));
      t.queue.update(a!, { state: "completed", progress: 100 });
      t.queue.update(b!, { state: "failed", error: "b.md: broken" });
      const { events } = await reading;
      const ofA = events.filter((e) => e.event === "job" && data(e)["id"] === a).map((e) => `${data(e)["state"]}:${data(e)["progress"]}`);
      expect(ofA).toEqual(["waiting:0", "active:40", "completed:100"]);
      expect(events.filter((e) => e.event === "job" && data(e)["id"] === b).map((e) => data(e)["state"])).toEqual(["waiting", "failed"]);
      expect(events.at(-1)?.event).toBe("end");
    } finally {
      await server.close();
    }
  });

  it("follows the visibility of GET /jobs/:id: another collection's job is `missing` like an unknown one; a pruned job `expired`", async () => {
    const t = await setup({ apiKeys: KEYS });
    const upload = await request(t.app).post("/documents").set(ops).field("collection", "manuals").attach("file", MD, "setup.md");
    const id = upload.body.jobs[0].id as string;
    t.queue.update(id, { state: "failed", error: "setup.md: not a PDF", finishedAt: new Date().toISOString(), collection: "manuals" });
    const other = parseSse((await request(t.app).get(`/jobs/events?id=${id}&id=no-such-job`).set({ Authorization: "Bearer sk-other" })).text);
    expect(other.map((e) => [e.event, data(e)])).toEqual([["missing", { id }], ["missing", { id: "no-such-job" }], ["end", {}]]);
    expect(JSON.stringify(other)).not.toContain("not a PDF");
    t.queue.expire(id);
    const own = parseSse((await request(t.app).get(`/jobs/events?id=${id}`).set(ops)).text);
    expect(own.map((e) => e.event)).toEqual(["expired", "end"]);
    expect(data(own[0]!)).toMatchObject({ id, state: "failed", error: "setup.md: not a PDF" });
  });

  it("closes at the request timeout without `end`, so the client reopens it for the jobs still running", async () => {
    const t = await setup({ limits: { requestTimeoutMs: 700 } });
    const upload = await request(t.app).post("/documents").attach("file", MD, "slow.md");
    const id = upload.body.jobs[0].id as string;
    const server = await listen(t.app);
    try {
      const started = Date.now();
      const { events } = await readSse(await fetch(`${server.url}/jobs/events?id=${id}`));
      expect(Date.now() - started).toBeLessThan(5000);
      expect(events.map((e) => e.event)).toEqual(["job"]);
    } finally {
      await server.close();
    }
  });

  it("refuses bad queries and keys without `ingest` with problem+json, before any stream opens", async () => {
    const t = await setup({ apiKeys: KEYS });
    for (const path of ["/jobs/events", `/jobs/events?id=${"x".repeat(501)}`, `/jobs/events?${Array.from({ length: 101 }, (_, i) => `id=j${i}`).join("&")}`]) {
      const res = await request(t.app).get(path).set(ops);
      expect(res.status, path.slice(0, 40)).toBe(400);
      expect(res.headers["content-type"]).toMatch(/application\/problem\+json/);
    }
    expect((await request(t.app).get("/jobs/events?id=a").set({ Authorization: "Bearer sk-bot" })).status).toBe(403);
    expect((await request(t.app).get("/jobs/events?id=a")).status).toBe(401);
  });
});
