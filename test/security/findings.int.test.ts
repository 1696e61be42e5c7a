// Issue #10's findings that are reachable over HTTP, reproduced exactly with real keys (1–4, 13; 7 as a smaller
// smoke test in hostile-uploads). Each asserts the status, the problem+json body and, when rejected, an unchanged
// store dump.
import { afterEach, describe, expect, it } from "vitest";
import { call, expectProblem, form, jobIds, KEY, NIGHTJAR_SECRET, settle, startSecServer, type SecServer } from "./harness.js";

let servers: SecServer[] = [];
afterEach(async () => {
  for (const s of servers) await s.close();
  servers = [];
});
async function server(options: Parameters<typeof startSecServer>[0] = {}): Promise<SecServer> {
  const s = await startSecServer(options);
  servers.push(s);
  return s;
}

/** The dump line of the secret document: collection, id, status, content hash (and title). */
function secretLine(s: SecServer): string {
  const line = s.dump().documents.find((d) => d.startsWith("secret|nightjar.md|"));
  if (!line) throw new Error("the seeded secret document is missing");
  return line;
}

describe("finding 1: cross-collection overwrite", () => {
  it("JSON POST with another collection's id never replaces or moves that document", async () => {
    const s = await server();
    const before = secretLine(s);
    const res = await call(s.url, "POST", "/documents", {
      key: KEY.content,
      json: { id: "nightjar.md", title: "Hijacked", text: "Hijacked text from manuals.", collection: "manuals" },
    });
    // (collection, id) is the identity: creating manuals/nightjar.md is fine (202); refusing is fine too.
    expect([202, 403, 404, 409]).toContain(res.status);
    if (res.status !== 202) expectProblem(res, res.status);
    await settle(s.url);
    expect(s.dump().documents).toContain(before);
    const secret = await call(s.url, "GET", "/documents/nightjar.md?collection=secret", { key: KEY.ingB });
    expect(secret.status).toBe(200);
    expect(secret.body).toMatchObject({ id: "nightjar.md", collection: "secret", title: "Project Nightjar" });
  });

  it("multipart POST with id= of another collection's document never replaces or moves it", async () => {
    const s = await server();
    const before = secretLine(s);
    const res = await call(s.url, "POST", "/documents", {
      key: KEY.content,
      form: form([["hijack.md", "# Hijacked\n\nHijacked text from manuals.\n"]], { id: "nightjar.md", collection: "manuals" }),
    });
    expect([202, 403, 404, 409]).toContain(res.status);
    await settle(s.url);
    expect(s.dump().documents).toContain(before);
    // An answer-only key of manuals never gets the secret's text.
    const answer = await call(s.url, "POST", "/answer", { key: KEY.bot, json: { question: "What is the nightjar launch passphrase?" } });
    expect(answer.status).toBe(200);
    expect(answer.text).not.toContain("owl-velvet-4471");
  });
});

describe("finding 2: DELETE cancels another collection's queued job", () => {
  it("a key without the job's collection gets 404 and the job and its upload stay", async () => {
    // BullMQ on the local Redis without a worker: the job stays waiting, so the outcome is deterministic.
    const s = await server({ heldQueue: true });
    const up = await call(s.url, "POST", "/documents", { key: KEY.ingB, form: form([["nightjar-draft.md", NIGHTJAR_SECRET]], { collection: "secret" }) });
    expect(up.status).toBe(202);
    const [jobId] = jobIds(up);
    const before = s.dump();
    expect(before.uploads.length).toBe(1);
    const res = await call(s.url, "DELETE", "/documents/nightjar-draft.md?collection=manuals", { key: KEY.content });
    expectProblem(res, 404);
    expect(s.dump()).toEqual(before);
    const job = await call(s.url, "GET", `/jobs/${jobId}`, { key: KEY.ingB });
    expect(job.status).toBe(200);
    expect(job.body).toMatchObject({ state: "waiting", collection: "secret" });
  });
});

describe("finding 3: analytics of a collection-limited admin", () => {
  it("an admin limited to manuals sees nothing of secret in /analytics; the unlimited admin does", async () => {
    const s = await server();
    const all = await call(s.url, "GET", "/analytics", { key: KEY.ops });
    expect(all.status).toBe(200);
    // The seed asked about the nightjar as ingB, so the report can show it: this test can fail.
    expect(all.text.toLowerCase()).toContain("nightjar");
    const limited = await call(s.url, "GET", "/analytics", { key: KEY.opsM });
    expect(limited.status).toBe(200);
    expect(limited.text.toLowerCase()).not.toContain("nightjar");
    expect(limited.body?.["questions"]).toBe(1);
  });
});

/** The same response for "exists in another collection" and "never existed", ids aside. */
function sameAnswer(a: { status: number; text: string }, b: { status: number; text: string }, idA: string, idB: string): void {
  // Job ids are fresh UUIDs per request: equal answers differ only there.
  const norm = (t: string, id: string) =>
    t.split(id).join("<id>").replace(/"requestId":"[^"]*"/, "").replace(/"instance":"[^"]*"/, "").replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<uuid>");
  expect({ status: a.status, body: norm(a.text, idA) }).toEqual({ status: b.status, body: norm(b.text, idB) });
}

describe("finding 4: existence oracle", () => {
  it("PUT, GET, DELETE answer the same for another collection's document as for a missing one", async () => {
    const s = await server();
    const body = { title: "Probe", text: "Probe text." };
    for (const [method, json] of [["GET", undefined], ["DELETE", undefined], ["PUT", body]] as const) {
      const before = s.dump();
      const taken = await call(s.url, method, "/documents/nightjar.md", { key: KEY.opsM, ...(json ? { json } : {}) });
      const free = await call(s.url, method, "/documents/never-was-here.md", { key: KEY.opsM, ...(json ? { json } : {}) });
      sameAnswer(taken, free, "nightjar.md", "never-was-here.md");
      if (taken.status >= 400) expectProblem(taken, taken.status);
      await settle(s.url);
      if (method !== "PUT") expect(s.dump()).toEqual(before);
      expect(s.dump().documents).toContain(before.documents.find((d) => d.startsWith("secret|nightjar.md|")));
    }
  });

  it("a job and an answer id of another collection answer like unknown ones (404 problem)", async () => {
    const s = await server();
    const seeded = s.seeded!;
    const job = await call(s.url, "GET", `/jobs/${seeded.jobs.secret}`, { key: KEY.opsM });
    const noJob = await call(s.url, "GET", "/jobs/00000000-0000-4000-8000-000000000000", { key: KEY.opsM });
    expectProblem(job, 404);
    sameAnswer(job, noJob, seeded.jobs.secret, "00000000-0000-4000-8000-000000000000");
    const before = s.dump();
    const fb = await call(s.url, "POST", "/feedback", { key: KEY.bot, json: { answerId: seeded.answers.secret, rating: "down" } });
    const noFb = await call(s.url, "POST", "/feedback", { key: KEY.bot, json: { answerId: "00000000-0000-4000-8000-000000000000", rating: "down" } });
    expectProblem(fb, 404);
    sameAnswer(fb, noFb, seeded.answers.secret, "00000000-0000-4000-8000-000000000000");
    expect(s.dump()).toEqual(before);
  });
});

describe("finding 13: citation markers never inside a URL", () => {
  it("an answer quoting a URL with a query string keeps the URL whole", async () => {
    const s = await server();
    const res = await call(s.url, "POST", "/answer", { key: KEY.bot, json: { question: "How do I download the widget firmware?" } });
    expect(res.status).toBe(200);
    const text = String(res.body?.["answer"] ?? "");
    // The firmware manual is the source: the answer must quote it, or this test proves nothing.
    expect(text).toContain("http://updates.example.com/fw?");
    expect(text).toContain("http://updates.example.com/fw?model=zx9&channel=stable");
    for (const url of text.match(/https?:\/\/\S+/g) ?? []) expect(url).not.toMatch(/\[\d+\]/);
  });
});
