import { afterEach, describe, expect, it, vi } from "vitest";
import request from "supertest";
import type { Answer } from "../../src/domain/answer.js";
import type { AnswerRequest } from "../../src/answer/answer.js";
import { listen, makeTestApp, type TestApp, type TestAppOptions } from "./harness.js";
import { readSse } from "./sse-client.js";

let cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

async function setup(options: TestAppOptions = {}): Promise<TestApp> {
  const t = await makeTestApp(options);
  cleanups.push(t.cleanup);
  return t;
}

const RESET_QUESTION = "How do I factory reset the widget?";

describe("POST /answer", () => {
  it("answers with [n] markers and citations from the manual", async () => {
    const { app } = await setup();
    const res = await request(app).post("/answer").send({ question: RESET_QUESTION });
    expect(res.status).toBe(200);
    const answer = res.body as Answer;
    expect(answer.answerable).toBe(true);
    expect(answer.answer).toMatch(/reset pin.*\[1\]/s);
    expect(answer.citations[0]).toMatchObject({ n: 1, documentId: "manual/widget.md" });
    // As res.json sends it (type, length, bytes), without the ETag no POST is revalidated by.
    expect(res.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(Number(res.headers["content-length"])).toBe(Buffer.byteLength(res.text));
    expect(res.text).toBe(JSON.stringify(answer));
    expect(res.headers.etag).toBeUndefined();
  });

  it("passes history, filters and topK to the use case", async () => {
    const seen: AnswerRequest[] = [];
    const { app } = await setup({ answering: (real) => ({ retrieve: real.retrieve, answer: (r) => (seen.push(r), real.answer(r)) }) });
    const res = await request(app)
      .post("/answer")
      .send({ question: "and then?", history: [{ role: "user", content: RESET_QUESTION }, { role: "assistant", content: "Unplug it." }], filters: { collections: ["default"], sourceTypes: ["manual"] }, topK: 3 });
    expect(res.status).toBe(200);
    expect(seen[0]).toMatchObject({ question: "and then?", topK: 3, filters: { collections: ["default"], sourceTypes: ["manual"] } });
    expect(seen[0]?.history).toHaveLength(2);
    expect(seen[0]?.signal).toBeInstanceOf(AbortSignal);
  });

  it("refuses honestly when the manual does not cover the question", async () => {
    const { app } = await setup();
    const res = await request(app).post("/answer").send({ question: "What is the warranty period?" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ answerable: false, escalate: true, citations: [] });
  });

  it.each([
    ["missing question", {}, "question"],
    ["question of the wrong type", { question: 42 }, "question"],
    ["blank question", { question: "   " }, "question"],
    ["question over 4000 characters", { question: "x".repeat(4001) }, "question"],
    ["bad history role", { question: "hi", history: [{ role: "system", content: "x" }] }, "history.0.role"],
    ["more than 20 history turns", { question: "hi", history: Array.from({ length: 21 }, () => ({ role: "user", content: "x" })) }, "history"],
    ["topK out of range", { question: "hi", topK: 50 }, "topK"],
    ["unknown filter key", { question: "hi", filters: { collection: ["x"] } }, "filters"],
  ])("rejects %s with a 400 problem naming the field", async (_name, body, path) => {
    const { app } = await setup();
    const res = await request(app).post("/answer").send(body);
    expect(res.status).toBe(400);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, title: "Bad Request", instance: "/answer" });
    expect(res.body.type).toMatch(/invalid-input$/);
    expect((res.body.errors as Array<{ path: string }>).map((e) => e.path)).toContain(path);
    expect(res.body.requestId).toBe(res.headers["x-request-id"]);
  });

  it("rejects malformed JSON (400), oversized bodies (413) and non-JSON bodies (415)", async () => {
    const { app } = await setup({ limits: { maxBodyBytes: 2048 } });
    const malformed = await request(app).post("/answer").set("Content-Type", "application/json").send('{"question": "hi",');
    expect(malformed.status).toBe(400);
    expect(malformed.body.type).toMatch(/malformed-json$/);
    const big = await request(app).post("/answer").send({ question: "hi", pad: "x".repeat(5000) });
    expect(big.status).toBe(413);
    expect(big.body).toMatchObject({ status: 413, limit: 2048 });
    const text = await request(app).post("/answer").set("Content-Type", "text/plain").send("How do I reset?");
    expect(text.status).toBe(415);
  });
});

describe("POST /answer streaming (real socket)", () => {
  async function stream(t: TestApp, init: { body: unknown; accept?: string }) {
    const server = await listen(t.app);
    cleanups.push(server.close);
    const res = await fetch(`${server.url}/answer`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(init.accept ? { accept: init.accept } : {}) },
      body: JSON.stringify(init.body),
    });
    return { res, ...(await readSse(res)) };
  }

  it("streams token events, then the verified answer, then done", async () => {
    const t = await setup();
    const { res, events } = await stream(t, { body: { question: RESET_QUESTION, stream: true } });
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const names = events.map((e) => e.event);
    expect(names.at(-1)).toBe("done");
    expect(names.at(-2)).toBe("answer");
    const tokens = events.filter((e) => e.event === "token").map((e) => (JSON.parse(e.data) as { delta: string }).delta);
    expect(tokens.length).toBeGreaterThan(0);
    const answer = JSON.parse(events.at(-2)?.data ?? "{}") as Answer;
    expect(answer.answer).toContain("[1]");
    expect(answer.citations.length).toBeGreaterThan(0);
    expect(tokens.join("")).toContain("reset pin");
  });

  it("streams with Accept: text/event-stream, and sends a refusal in several token pieces", async () => {
    const t = await setup();
    const { events } = await stream(t, { body: { question: "What is the warranty period?" }, accept: "text/event-stream" });
    const tokens = events.filter((e) => e.event === "token").map((e) => (JSON.parse(e.data) as { delta: string }).delta);
    const answer = JSON.parse(events.find((e) => e.event === "answer")?.data ?? "{}") as Answer;
    expect(tokens.length).toBeGreaterThan(1);
    expect(tokens.join("")).toBe(answer.answer);
    expect(answer.answerable).toBe(false);
  });

  it("aborts the answer computation when the client disconnects", async () => {
    let aborted = false;
    const t = await setup({
      answering: (real) => ({
        retrieve: real.retrieve,
        answer: (r) =>
          new Promise<Answer>((_resolve, reject) => {
            r.signal?.addEventListener("abort", () => {
              aborted = true;
              reject(r.signal?.reason);
            });
          }),
      }),
    });
    const server = await listen(t.app);
    cleanups.push(server.close);
    const controller = new AbortController();
    const res = await fetch(`${server.url}/answer`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ question: RESET_QUESTION, stream: true }),
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    controller.abort();
    await vi.waitFor(() => expect(aborted).toBe(true), { timeout: 2000 });
  });
});

describe("answer limits", () => {
  /** Answers block until `gate()`; `entered` resolves once the first answer computation has started. */
  function gated(): { gate: () => void; entered: Promise<void>; options: TestAppOptions } {
    let open!: () => void;
    let enter!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    const entered = new Promise<void>((resolve) => (enter = resolve));
    const options: TestAppOptions = {
      answering: (real) => ({ retrieve: real.retrieve, answer: async (r) => (enter(), await opened, real.answer(r)) }),
    };
    return { gate: () => open(), entered, options };
  }

  it("caps concurrent answers: a request that waits too long gets 503 with Retry-After", async () => {
    const { gate, entered, options } = gated();
    const { app } = await setup({ ...options, limits: { maxConcurrentAnswers: 1, answerQueueWaitMs: 200 } });
    const first = request(app).post("/answer").send({ question: RESET_QUESTION }).then((r) => r);
    await entered;
    const second = await request(app).post("/answer").send({ question: RESET_QUESTION });
    expect(second.status).toBe(503);
    expect(second.headers["retry-after"]).toBe("1");
    expect(second.body.type).toMatch(/overloaded$/);
    gate();
    expect((await first).status).toBe(200);
  });

  it("times out slow requests with a 503 problem and aborts the computation", async () => {
    let reason: unknown;
    const { app } = await setup({
      limits: { requestTimeoutMs: 300 },
      answering: (real) => ({
        retrieve: real.retrieve,
        answer: (r) => new Promise<Answer>((_res, reject) => r.signal?.addEventListener("abort", () => reject((reason = r.signal?.reason)))),
      }),
    });
    const res = await request(app).post("/answer").send({ question: RESET_QUESTION });
    expect(res.status).toBe(503);
    expect(res.body.type).toMatch(/timeout$/);
    expect(reason).toBeInstanceOf(Error);
  });
});
