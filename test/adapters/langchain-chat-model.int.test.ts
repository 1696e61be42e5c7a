import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createChatModel, contentText, type LangChainChatModel } from "../../src/adapters/langchain-chat-model.js";
import { TransientError } from "../../src/errors.js";
import type { ChatMessage } from "../../src/ports/chat-model.js";
import { startOpenAIStub, type OpenAIStub } from "../support/openai-stub-server.js";

const messages: ChatMessage[] = [
  { role: "system", content: "Answer from the sources." },
  { role: "user", content: "How do I reset it?" },
  { role: "assistant", content: "Which model?" },
  { role: "user", content: "The X200." },
];

let stub: OpenAIStub;
let model: LangChainChatModel;
const fetchedUrls: string[] = [];
const realFetch = globalThis.fetch;

beforeAll(async () => {
  stub = await startOpenAIStub();
  // Records every fetch in the process (the OpenAI SDK and LangChain's tiktoken loader both use it) to prove that
  // nothing but the stub is contacted. Other hosts are refused at once: offline, a stray download would just hang.
  globalThis.fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    fetchedUrls.push(url);
    return url.startsWith(stub.url) ? realFetch(input, init) : Promise.reject(new TypeError(`blocked fetch to ${url}`));
  };
  model = await createChatModel({ model: "stub-chat", provider: "openai", baseURL: stub.url, timeoutMs: 5000, temperature: 0, maxRetries: 0 });
});

afterAll(async () => {
  globalThis.fetch = realFetch;
  await stub.close();
});

afterEach(() => {
  stub.setBehaviour({});
  stub.requests.length = 0;
});

const chatRequests = () => stub.requests.filter((r) => r.path === "/v1/chat/completions");

describe("LangChainChatModel against an OpenAI-compatible endpoint", { timeout: 5000 }, () => {
  it("is served by ChatOpenAI for provider openai", async () => {
    expect(model.id).toBe("openai:stub-chat");
    expect(await model.implementationName()).toBe("ChatOpenAI");
  });

  it("returns the reply of a non-streaming call and sends the messages with their roles", async () => {
    stub.setBehaviour({ reply: "Hold the reset button [1]." });
    const text = await model.generate(messages, { maxTokens: 123 });
    expect(text).toBe("Hold the reset button [1].");
    const [request] = chatRequests();
    expect(request?.method).toBe("POST");
    expect(request?.headers["authorization"]).toBe("Bearer not-needed");
    expect(request?.body).toMatchObject({
      model: "stub-chat",
      temperature: 0,
      max_tokens: 123,
      messages: messages.map((m) => ({ role: m.role === "system" ? expect.stringMatching(/^(system|developer)$/) : m.role, content: m.content })),
    });
    expect(request?.body).not.toMatchObject({ stream: true });
  });

  it("streams deltas to onToken and returns their concatenation", async () => {
    stub.setBehaviour({ reply: "First unplug the router. Then wait 30 seconds [2]." });
    const deltas: string[] = [];
    const text = await model.generate(messages, { onToken: (d) => deltas.push(d) });
    expect(text).toBe("First unplug the router. Then wait 30 seconds [2].");
    expect(deltas.length).toBeGreaterThanOrEqual(2);
    expect(deltas.join("")).toBe(text);
    const body = chatRequests()[0]?.body as Record<string, unknown>;
    expect(body["stream"]).toBe(true);
    // Usage reporting is off so servers that reject stream_options still work.
    expect(body["stream_options"]).toBeUndefined();
  });

  it("wraps an HTTP 500 in a TransientError without retrying when maxRetries is 0", async () => {
    stub.setBehaviour({ status: 500 });
    const error = await model.generate(messages).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as TransientError).cause).toBeDefined();
    expect(chatRequests()).toHaveLength(1);
  });

  it("wraps a malformed body (plain and streamed) in a TransientError", async () => {
    stub.setBehaviour({ malformed: true });
    await expect(model.generate(messages)).rejects.toBeInstanceOf(TransientError);
    await expect(model.generate(messages, { onToken: () => undefined })).rejects.toBeInstanceOf(TransientError);
  });

  it("stops waiting when the signal aborts", async () => {
    stub.setBehaviour({ delayMs: 2000 });
    const started = performance.now();
    const error = await model.generate(messages, { signal: AbortSignal.timeout(150) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("contacted nothing but the stub", () => {
    expect(fetchedUrls.length).toBeGreaterThan(0);
    for (const url of fetchedUrls) expect(url.startsWith(stub.url)).toBe(true);
  });
});

describe("contentText", () => {
  it("reads strings and the text parts of content arrays", () => {
    expect(contentText("plain")).toBe("plain");
    expect(contentText([{ type: "text", text: "a" }, { type: "image_url", image_url: "x" }, "b", { type: "text", text: 3 }])).toBe("ab");
    expect(contentText(undefined)).toBe("");
    expect(contentText({ text: "not an array" })).toBe("");
  });
});
