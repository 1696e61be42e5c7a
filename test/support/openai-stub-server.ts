import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A chat message as it arrived at the stub (OpenAI wire format; content may be a string or parts). */
export interface StubChatMessage {
  role: string;
  content: unknown;
}

/** What a reply function sees of a chat completion request. */
export interface StubChatRequest {
  model: string;
  messages: StubChatMessage[];
  stream: boolean;
  body: Record<string, unknown>;
}

/** How the stub answers; every field is optional and can be swapped per test with `setBehaviour`. */
export interface StubBehaviour {
  /** Fixed reply text, or a function of the request (e.g. a "model" that obeys text inside the sources). */
  reply?: string | ((request: StubChatRequest) => string);
  /** Wait before answering (for timeouts). */
  delayMs?: number;
  /** Answer chat completions with this HTTP status and an OpenAI-style error body (e.g. 500). */
  status?: number;
  /** Answer chat completions with 200 and a body that is not valid JSON (or an SSE event that is not). */
  malformed?: boolean;
  /** Pause between streamed chunks, so a client sees the reply arrive piece by piece (a sentence invented mid-stream). */
  streamDelayMs?: number;
  /** Size of the vectors `/v1/embeddings` returns when the request does not ask for `dimensions`. Default 8. */
  embeddingDimensions?: number;
}

export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. `/v1/chat/completions`. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body, or the raw text when it was not JSON, or undefined when empty. */
  body: unknown;
}

export interface OpenAIStub {
  /** Base URL ending in `/v1`, as OpenAI clients expect. */
  url: string;
  requests: RecordedRequest[];
  /** Highest number of chat completion requests that were being answered at the same time. */
  readonly maxConcurrentChats: number;
  setBehaviour(behaviour: StubBehaviour): void;
  close(): Promise<void>;
}

export const DEFAULT_STUB_REPLY = "Hold the power button for 10 seconds to reset the device [1].";

/** Starts an OpenAI-compatible server on 127.0.0.1 with a random port. */
export async function startOpenAIStub(behaviour: StubBehaviour = {}): Promise<OpenAIStub> {
  let current = behaviour;
  const requests: RecordedRequest[] = [];
  const concurrency = { active: 0, max: 0 };
  const server = createServer((req, res) => {
    void handle(req, res, current, requests, concurrency).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: String(err), type: "stub_error" } });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    get maxConcurrentChats() {
      return concurrency.max;
    },
    setBehaviour(next) {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Delayed responses would otherwise keep close() waiting for their sockets.
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  behaviour: StubBehaviour,
  requests: RecordedRequest[],
  concurrency: { active: number; max: number },
): Promise<void> {
  const path = (req.url ?? "/").split("?")[0] ?? "/";
  const body = parseBody(await readBody(req));
  requests.push({ method: req.method ?? "GET", path, headers: { ...req.headers }, body });
  const json = isRecord(body) ? body : {};
  if (req.method === "GET" && path === "/v1/models") return sendJson(res, 200, modelList());
  if (req.method === "POST" && path === "/v1/embeddings") return sendJson(res, 200, embeddings(json, behaviour));
  if (req.method === "POST" && path === "/v1/chat/completions") {
    concurrency.active++;
    concurrency.max = Math.max(concurrency.max, concurrency.active);
    try {
      return await chatCompletion(req, res, json, behaviour);
    } finally {
      concurrency.active--;
    }
  }
  sendJson(res, 404, { error: { message: `no route ${req.method} ${path}`, type: "invalid_request_error" } });
}

async function chatCompletion(req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>, behaviour: StubBehaviour): Promise<void> {
  if (behaviour.delayMs) await sleepUnlessClosed(behaviour.delayMs, req);
  if (req.socket.destroyed) return;
  if (behaviour.status && behaviour.status >= 400) {
    return sendJson(res, behaviour.status, { error: { message: "stub failure", type: "server_error", code: null } });
  }
  const request: StubChatRequest = {
    model: typeof body["model"] === "string" ? body["model"] : "stub-model",
    messages: Array.isArray(body["messages"]) ? (body["messages"] as unknown[]).filter(isChatMessage) : [],
    stream: body["stream"] === true,
    body,
  };
  const text = typeof behaviour.reply === "function" ? behaviour.reply(request) : (behaviour.reply ?? DEFAULT_STUB_REPLY);
  if (request.stream) return streamReply(res, request.model, text, behaviour.malformed === true, behaviour.streamDelayMs ?? 0);
  if (behaviour.malformed) {
    res.writeHead(200, { "content-type": "application/json" });
    res.end('{"id":"chatcmpl-stub","choices":[{"message":{"content":"trunc');
    return;
  }
  sendJson(res, 200, {
    id: "chatcmpl-stub",
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: request.model,
    choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop", logprobs: null }],
    usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
  });
}

/** Sends the reply as SSE, one word (with its trailing space) per chunk so clients see several deltas. */
async function streamReply(res: ServerResponse, model: string, text: string, malformed: boolean, delayMs: number): Promise<void> {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
  const chunk = (delta: Record<string, unknown>, finish: string | null) =>
    `data: ${JSON.stringify({
      id: "chatcmpl-stub",
      object: "chat.completion.chunk",
      created: Math.floor(Date.now() / 1000),
      model,
      choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
    })}\n\n`;
  if (malformed) {
    res.end("data: {not json\n\n");
    return;
  }
  res.write(chunk({ role: "assistant", content: "" }, null));
  for (const piece of text.match(/\S+\s*|\s+/g) ?? []) {
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (res.destroyed) return;
    res.write(chunk({ content: piece }, null));
  }
  res.write(chunk({}, "stop"));
  res.end("data: [DONE]\n\n");
}

function embeddings(body: Record<string, unknown>, behaviour: StubBehaviour): Record<string, unknown> {
  const input = body["input"];
  const texts = Array.isArray(input) ? input.map((x) => (typeof x === "string" ? x : JSON.stringify(x))) : [String(input ?? "")];
  const requested = body["dimensions"];
  const dims = typeof requested === "number" && requested > 0 ? requested : (behaviour.embeddingDimensions ?? 8);
  const base64 = body["encoding_format"] === "base64";
  return {
    object: "list",
    model: typeof body["model"] === "string" ? body["model"] : "stub-embedding",
    data: texts.map((text, index) => {
      const vector = stubVector(text, dims);
      return { object: "embedding", index, embedding: base64 ? Buffer.from(vector.buffer).toString("base64") : Array.from(vector) };
    }),
    usage: { prompt_tokens: texts.length, total_tokens: texts.length },
  };
}

/** Deterministic vector in [-1, 1) from SHA-256 of the text, stretched by rehashing with a counter. */
export function stubVector(text: string, dimensions: number): Float32Array {
  const out = new Float32Array(dimensions);
  for (let i = 0; i < dimensions; i += 8) {
    const digest = createHash("sha256").update(`${i}:${text}`).digest();
    for (let j = 0; j < 8 && i + j < dimensions; j++) out[i + j] = digest.readUInt32LE(j * 4) / 2 ** 31 - 1;
  }
  return out;
}

function modelList(): Record<string, unknown> {
  const created = Math.floor(Date.now() / 1000);
  return {
    object: "list",
    data: ["stub-chat", "stub-embedding"].map((id) => ({ id, object: "model", created, owned_by: "stub" })),
  };
}

function sleepUnlessClosed(ms: number, req: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      req.socket.off("close", done);
      resolve();
    }
    // The client aborting (timeout test) should free the handler at once, not after the full delay.
    req.socket.once("close", done);
  });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts).toString("utf8");
}

function parseBody(raw: string): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isChatMessage(value: unknown): value is StubChatMessage {
  return isRecord(value) && typeof value["role"] === "string";
}
