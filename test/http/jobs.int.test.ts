import { afterEach, describe, expect, it } from "vitest";
import request from "supertest";
import { makeTestApp, type TestApp } from "./harness.js";

let cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

async function setup(apiKeys?: string): Promise<TestApp> {
  const t = await makeTestApp(apiKeys ? { apiKeys } : {});
  cleanups.push(t.cleanup);
  return t;
}

const MD = Buffer.from("# Setup\n\nPlug the widget in.\n");

describe("GET /jobs", () => {
  it("shows a job's state, progress and result", async () => {
    const t = await setup();
    const upload = await request(t.app).post("/documents").attach("file", MD, "setup.md");
    const id = upload.body.jobs[0].id as string;
    const waiting = await request(t.app).get(`/jobs/${id}`);
    expect(waiting.status).toBe(200);
    expect(waiting.body).toMatchObject({ id, documentId: "setup.md", state: "waiting", progress: 0, attempts: 0 });
    expect(Date.parse(waiting.body.createdAt)).not.toBeNaN();
    const result = { documents: 1, chunks: 2, embedded: 2, unchanged: 0, documentIds: ["setup.md"] };
    t.queue.update(id, { state: "completed", progress: 100, attempts: 1, result, finishedAt: new Date().toISOString() });
    const done = await request(t.app).get(`/jobs/${id}`);
    expect(done.body).toMatchObject({ state: "completed", progress: 100, result });
  });

  it("lists jobs by state with a limit; unknown ids are 404 and bad queries 400", async () => {
    const t = await setup();
    await request(t.app).post("/documents").attach("file", MD, "a.md").attach("file", MD, "b.md").attach("file", MD, "c.md");
    t.queue.update("job-2", { state: "failed", error: "boom" });
    expect((await request(t.app).get("/jobs")).body.items).toHaveLength(3);
    expect((await request(t.app).get("/jobs?state=waiting&limit=1")).body.items).toHaveLength(1);
    const failed = await request(t.app).get("/jobs?state=failed");
    expect(failed.body.items).toEqual([expect.objectContaining({ id: "job-2", error: "boom" })]);
    expect((await request(t.app).get("/jobs/job-999")).status).toBe(404);
    expect((await request(t.app).get("/jobs?state=finished")).status).toBe(400);
    expect((await request(t.app).get("/jobs?limit=0")).status).toBe(400);
  });

  it("an expired job answers 410 Gone with its final state, only to keys that may see its collection", async () => {
    const t = await setup("ops:sk-ops:ingest+answer:manuals,other:sk-other:ingest+answer:faq");
    const ops = { Authorization: "Bearer sk-ops" };
    const upload = await request(t.app).post("/documents").set(ops).field("collection", "manuals").attach("file", MD, "setup.md");
    const id = upload.body.jobs[0].id as string;
    const finishedAt = new Date().toISOString();
    t.queue.update(id, { state: "failed", error: "setup.md: not a PDF", finishedAt, collection: "manuals" });
    t.queue.expire(id);
    const gone = await request(t.app).get(`/jobs/${id}`).set(ops);
    expect(gone.status).toBe(410);
    expect(gone.headers["content-type"]).toMatch(/application\/problem\+json/);
    expect(JSON.parse(gone.text)).toMatchObject({ status: 410, id, state: "failed", finishedAt, error: "setup.md: not a PDF" });
    const other = await request(t.app).get(`/jobs/${id}`).set({ Authorization: "Bearer sk-other" });
    const missing = await request(t.app).get("/jobs/no-such-job").set({ Authorization: "Bearer sk-other" });
    expect(other.status).toBe(404);
    expect(JSON.parse(other.text).detail).toBe(JSON.parse(missing.text).detail.replace("no-such-job", id));
  });
});
