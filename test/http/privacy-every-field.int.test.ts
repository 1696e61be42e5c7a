import { randomUUID } from "node:crypto";
import { readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { Redis } from "ioredis";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../../src/server/start-server.js";
import { testConfig } from "../support/temp-engine.js";

/**
 * Issue #10 finding 9: personal data outside the text fields — ids, file names, ticket url/category/status/product,
 * parse errors quoting the file — must reach neither DATA_DIR (store, jobs, analytics, uploads), nor the logs, nor
 * any response; PUT and DELETE with the original id must still find the document.
 */
const PII = [
  "leak.file@example.com", "leak.id@example.com", "leak.url@example.com", "leak.cat@example.com", "leak.status@example.com",
  "leak.two@example.com", "leak.two@e", "leak.json@example.com", "leak.name@example.com", "leak.corpus@example.com", "leak.title@example.com",
  "+44 20 7946 0958", "7946 0958", "4111 1111 1111 1111", "4111111111111111", "+1 555 0100 7777", "0100 7777",
];

const TICKET = {
  id: "leak.id@example.com",
  subject: "Router keeps rebooting",
  url: "https://support.example.com/t?requester=leak.url@example.com",
  category: "hardware leak.cat@example.com",
  status: "waiting on leak.status@example.com",
  product: "Lumio hub of +44 20 7946 0958",
  messages: [
    { role: "customer", text: "My hub reboots every hour." },
    { role: "agent", text: "Update the firmware to 3.4.1 and the reboots stop." },
  ],
};
const CORPUS = { id: "kb leak.corpus@example.com", title: "Firmware card 4111 1111 1111 1111", text: "Firmware 3.4.1 fixes hourly reboots." };
const MALFORMED = `${JSON.stringify({ id: "ok-1", text: "fine" })}\n{"id":"bad-1","text":"x","note": leak.two@example.com, "card": "4111 1111 1111 1111"}\n`;

const REDIS_URL = "redis://127.0.0.1:6379";

let server: RunningServer;
let dataDir: string;
let logs: string[] = [];
let bodies: string[] = [];

async function call(method: string, path: string, body?: FormData | object): Promise<{ status: number; json: unknown }> {
  const init: RequestInit = { method };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { "content-type": "application/json" };
  }
  const res = await fetch(`${server.url}${path}`, init);
  const text = await res.text();
  bodies.push(text);
  return { status: res.status, json: text ? (JSON.parse(text) as unknown) : undefined };
}

function upload(name: string, content: string): FormData {
  const form = new FormData();
  form.append("file", new Blob([content]), name);
  return form;
}

async function settle(res: { status: number; json: unknown }): Promise<{ state: string; error?: string }> {
  expect(res.status).toBe(202);
  const job = (res.json as { jobs: Array<{ id: string }> }).jobs[0]!;
  const end = Date.now() + 15_000;
  for (;;) {
    const info = (await call("GET", `/jobs/${job.id}`)).json as { state: string; error?: string };
    if (info.state === "completed" || info.state === "failed") return info;
    if (Date.now() > end) throw new Error(`job still ${info.state}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

/** Every value under the queue's Redis keys, read by type (DUMP output may be compressed and hide a match). */
async function redisDump(queueName: string): Promise<string> {
  const redis = new Redis(REDIS_URL);
  try {
    const keys = await redis.keys(`bull:${queueName}:*`);
    const values: string[] = [];
    for (const key of keys) {
      const type = await redis.type(key);
      if (type === "string") values.push((await redis.get(key)) ?? "");
      else if (type === "hash") values.push(JSON.stringify(await redis.hgetall(key)));
      else if (type === "list") values.push(JSON.stringify(await redis.lrange(key, 0, -1)));
      else if (type === "set") values.push(JSON.stringify(await redis.smembers(key)));
      else if (type === "zset") values.push(JSON.stringify(await redis.zrange(key, 0, -1)));
      else if (type === "stream") values.push(JSON.stringify(await redis.xrange(key, "-", "+")));
    }
    if (keys.length > 0) await redis.del(...keys);
    return `${keys.join("\n")}\n${values.join("\n")}`;
  } finally {
    redis.disconnect();
  }
}

describe.each([
  ["the embedded queue", {}],
  ["BullMQ on Redis", { REDIS_URL, QUEUE_NAME: `privacy-${randomUUID()}` }],
] as Array<[string, Record<string, string>]>)("personal data in ids, file names, ticket fields and parse errors (%s)", (_name, queueEnv) => {
  beforeAll(async () => {
    const config = testConfig({ PORT: "0", LOG_LEVEL: "trace", INGEST_ON_START: "false", ...queueEnv });
    dataDir = config.DATA_DIR;
    logs = [];
    bodies = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, cb) {
        logs.push(chunk.toString("utf8"));
        cb();
      },
    });
    server = await startServer(config, pino({ level: "trace" }, stream));
  }, 60_000);

  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("is stored nowhere, logged nowhere and returned nowhere; the original id still finds the document", async () => {
    const records = `${JSON.stringify(TICKET)}\n${JSON.stringify(CORPUS)}\n`;
    expect((await settle(await call("POST", "/documents", upload("leak.file@example.com.jsonl", records)))).state).toBe("completed");
    const failed = await settle(await call("POST", "/documents", upload("export.jsonl", MALFORMED)));
    expect(failed.state).toBe("failed");
    expect(failed.error).toMatch(/line 2: malformed JSON at column \d+/);
    const titled = upload("leak.name@example.com.md", "# Reset\n\nHold the button 12 seconds.\n");
    titled.append("title", "Reset guide for leak.title@example.com");
    expect((await settle(await call("POST", "/documents", titled))).state).toBe("completed");
    const json = { id: "leak.json@example.com", title: "Wi-Fi setup for leak.title@example.com", text: "Pick the 5 GHz band." };
    expect((await settle(await call("POST", "/documents", json))).state).toBe("completed");

    // The original ids still find the documents; what is shown is the stored id.
    const ticket = await call("GET", `/documents/${encodeURIComponent(TICKET.id)}`);
    expect(ticket.status).toBe(200);
    expect((ticket.json as { id: string }).id).toMatch(/^pii-[0-9a-f]{32}$/);
    expect((ticket.json as { url: string }).url).toContain("requester=[EMAIL]");
    expect((await call("GET", `/documents/${encodeURIComponent(CORPUS.id)}`)).status).toBe(200);
    expect((await call("GET", `/documents/${encodeURIComponent("leak.name@example.com.md")}`)).status).toBe(200);
    const replaced = await settle(await call("PUT", `/documents/${encodeURIComponent(json.id)}`, { ...json, title: "Wi-Fi setup, revised" }));
    expect(replaced.state).toBe("completed");
    expect(((await call("GET", `/documents/${encodeURIComponent(json.id)}`)).json as { title: string }).title).toBe("Wi-Fi setup, revised");
    expect((await call("GET", "/documents?limit=500")).json).toMatchObject({ total: 5 });
    expect((await call("DELETE", `/documents/${encodeURIComponent(json.id)}`)).status).toBe(204);
    expect((await call("GET", `/documents/${encodeURIComponent(json.id)}`)).status).toBe(404);
    await call("POST", "/answer", { question: "How do I stop the hourly reboots?" });

    await server.close();
    const files = filesUnder(dataDir);
    const expected = queueEnv.QUEUE_NAME ? ["store.db", "analytics.db"] : ["store.db", "jobs.db", "analytics.db"];
    expect(files.map((f) => f.slice(dataDir.length + 1))).toEqual(expect.arrayContaining(expected));
    const redis = queueEnv.QUEUE_NAME ? await redisDump(queueEnv.QUEUE_NAME) : "";
    if (queueEnv.QUEUE_NAME) expect(redis).toContain("pii-");
    const disk = Buffer.concat([...files.flatMap((f) => [Buffer.from(f), readFileSync(f)]), Buffer.from(redis)]);
    expect(disk.includes("[EMAIL]")).toBe(true);
    const logText = logs.join("");
    const served = bodies.join("\n");
    for (const pii of PII) {
      expect(disk.includes(pii), `disk: ${pii}`).toBe(false);
      expect(logText, `logs: ${pii}`).not.toContain(pii);
      expect(served, `responses: ${pii}`).not.toContain(pii);
    }
  }, 60_000);
});
