import { afterEach, describe, expect, it } from "vitest";
import { createAnswering, createComposer } from "../../src/container.js";
import { createApp } from "../../src/http/create-app.js";
import { openTestEngineWith } from "../support/temp-engine.js";
import { startOpenAIStub, type OpenAIStub, type StubChatRequest } from "../support/openai-stub-server.js";
import { appDeps, listen } from "../http/harness.js";
import { readSse } from "../http/sse-client.js";

const MANUAL = `# Hub Manual

## Reset

Press and hold the reset button for 12 seconds until the LED ring blinks red. The reset takes about 3 minutes.

## Pairing

1. Open the Hub app and choose Add hub.
2. Scan the QR code on the back of the hub.
3. Wait until the app shows the hub as paired.
`;

const INVENTED = "You will also receive a free replacement unit within 24 hours.";

/** A model that writes a supported sentence, then invents one (cited), then another supported one: all streamed. */
function inventingModel(request: StubChatRequest): string {
  const all = request.messages.map((m) => (typeof m.content === "string" ? m.content : "")).join("\n");
  const n = /<source n="(\d+)"[^>]*>[^<]*reset button/.exec(all)?.[1] ?? "1";
  return `Press and hold the reset button for 12 seconds until the LED ring blinks red [${n}]. ${INVENTED} [${n}] The reset takes about 3 minutes [${n}].`;
}

let stub: OpenAIStub | undefined;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await stub?.close();
  stub = undefined;
});

async function serve(env: Record<string, string>): Promise<string> {
  const t = await openTestEngineWith({ "hub.md": MANUAL }, env);
  cleanups.push(t.cleanup);
  const answering = await createAnswering(t.engine, { composer: await createComposer(t.config) });
  const deps = appDeps(answering, t.engine.store);
  const server = await listen(createApp(deps));
  cleanups.push(server.close);
  return server.url;
}

async function post(url: string, body: unknown) {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return readSse(res);
}

const LLM_ENV = (url: string) => ({ ANSWER_COMPOSER: "llm", CHAT_BASE_URL: url, CHAT_API_KEY: "test", ANSWER_MIN_CONFIDENCE: "0" });

describe("streaming releases only verified sentences", () => {
  it("POST /answer: the sentence the model invents mid-stream is in no token event; the verified ones are, in order", async () => {
    stub = await startOpenAIStub({ reply: inventingModel, streamDelayMs: 2 });
    const url = await serve(LLM_ENV(stub.url));
    const { events } = await post(`${url}/answer`, { question: "How do I reset the hub?", stream: true });
    const tokens = events.filter((e) => e.event === "token").map((e) => (JSON.parse(e.data) as { delta: string }).delta);
    const answer = JSON.parse(events.find((e) => e.event === "answer")?.data ?? "{}") as { answer: string };
    expect(answer.answer).toContain("12 seconds");
    expect(answer.answer).not.toContain("replacement");
    for (const t of tokens) expect(t).not.toMatch(/replacement|24 hours/);
    // Sentence by sentence (not one blob at the end), and exactly the final text.
    expect(tokens.length).toBeGreaterThanOrEqual(2);
    expect(tokens.join("")).toBe(answer.answer);
  });

  it("POST /v1/chat/completions (stream): no chunk carries the invented sentence; the content is the verified answer", async () => {
    stub = await startOpenAIStub({ reply: inventingModel, streamDelayMs: 2 });
    const url = await serve(LLM_ENV(stub.url));
    const { events } = await post(`${url}/v1/chat/completions`, { model: "groundline", stream: true, messages: [{ role: "user", content: "How do I reset the hub?" }] });
    const chunks = events.filter((e) => e.data !== "[DONE]").map((e) => JSON.parse(e.data) as { choices: Array<{ delta: { content?: string } }> });
    const contents = chunks.map((c) => c.choices[0]?.delta.content ?? "");
    for (const c of contents) expect(c).not.toMatch(/replacement|24 hours/);
    const text = contents.join("");
    expect(text).toContain("12 seconds");
    expect(text).toContain("3 minutes");
  });

  it("the extractive path streams its verified passage sentence by sentence", async () => {
    const url = await serve({ ANSWER_MIN_CONFIDENCE: "0" });
    const { events } = await post(`${url}/answer`, { question: "How do I pair the hub with the app?", stream: true });
    const tokens = events.filter((e) => e.event === "token").map((e) => (JSON.parse(e.data) as { delta: string }).delta);
    const answer = JSON.parse(events.find((e) => e.event === "answer")?.data ?? "{}") as { answer: string };
    expect(tokens.join("")).toBe(answer.answer);
    expect(tokens.length, JSON.stringify(tokens)).toBeGreaterThanOrEqual(2);
    // Each token is whole sentences: it ends at a sentence end (with its markers) or is the last one.
    for (const t of tokens.slice(0, -1)) expect(t.trimEnd(), JSON.stringify(tokens)).toMatch(/[.!?。](?:\s*\[[\d, ]+\])*$/);
    expect(answer.answer).toContain("Scan the QR code");
  });
});
