// The security suite's server: the real service (startServer: SQLite store, in-process job runner, file uploads,
// assist and analytics) on a temp DATA_DIR with real API keys, on 127.0.0.1, seeded over HTTP with documents in two
// collections. Everything goes through HTTP so the suite keeps testing the contract while the internals change.
import { afterAll, beforeAll, expect } from "vitest";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { loadConfig } from "../../src/config.js";
import { startServer, type RunningServer } from "../../src/server/start-server.js";
import { dumpStore, type StoreDump } from "../support/store-dump.js";

export const API_KEYS =
  "content:sk-c:ingest+answer:manuals|faq,ingB:sk-b:ingest+answer:secret,bot:sk-bot:answer:manuals,agent:sk-agent:assist:manuals,ops:sk-ops:admin,opsM:sk-opsm:admin:manuals,widget:sk-widget:widget:manuals";
export const KEY = { content: "sk-c", ingB: "sk-b", bot: "sk-bot", agent: "sk-agent", ops: "sk-ops", opsM: "sk-opsm", widget: "sk-widget" } as const;
export const REDIS_URL = "redis://127.0.0.1:6379";

export const MAX_BODY_BYTES = 64 * 1024;
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

export const WIDGET_MANUAL = `# Widget Manual

## Power

Press and hold the power button for three seconds to turn the widget on. The LED turns green when it is ready.

## Factory reset

Unplug the widget, hold the reset pin for ten seconds, then plug it back in and wait for the blue LED.
`;

/** Its answer quotes a URL with a query string (finding 13: a citation marker must not land inside it). */
export const FIRMWARE_MANUAL = `# Firmware updates

## Download

To download the widget firmware, visit http://updates.example.com/fw?model=zx9&channel=stable and choose the newest file.
`;

export const NIGHTJAR_SECRET = `# Project Nightjar

## Launch

The nightjar launch passphrase is owl-velvet-4471. Only the secret team may know the nightjar passphrase.
`;

/** Keys whose per-key documents (put-<key>-<collection>.md, del-<key>-<collection>.md) are seeded in both collections for the matrix. */
export const MATRIX_KEY_NAMES = ["content", "ingB", "bot", "ops", "opsM"] as const;

export interface Seeded {
  /** Job ids of the seed uploads, per collection. */
  jobs: { manuals: string; secret: string };
  /** Answer ids served to bot (manuals) and ingB (secret). */
  answers: { manuals: string; secret: string };
  /** The chunk each seeded answer cites first (widget.md in manuals, nightjar.md in secret): citations opened whole. */
  chunks: { manuals: string; secret: string };
}

export interface SecServer {
  url: string;
  dataDir: string;
  server: RunningServer;
  seeded?: Seeded;
  dump(): StoreDump;
  close(): Promise<void>;
}

export interface SecServerOptions {
  env?: Record<string, string>;
  /** Seed the two collections (default true). */
  seed?: boolean;
  /** BullMQ on the local Redis with no worker: jobs stay `waiting` (for cancel/delete cases). */
  heldQueue?: boolean;
}

/** Environment every security server runs with (also used by the child-process variant). */
export function baseEnv(dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATA_DIR: dataDir,
    LOG_LEVEL: "silent",
    API_KEYS,
    HOST: "127.0.0.1",
    PORT: "0",
    // One process: these suites measure and kill the service process itself (the cluster has its own tests).
    API_PROCESSES: "1",
    INGEST_ON_START: "false",
    INGEST_WORKERS: "0",
    MAX_BODY_BYTES: String(MAX_BODY_BYTES),
    MAX_FILE_BYTES: String(MAX_FILE_BYTES),
    DEFAULT_COLLECTION: "default",
    // The suite makes hundreds of requests per key; rate limiting has its own tests.
    RATE_LIMIT_PER_MINUTE: "0",
    WIDGET_RATE_LIMIT_PER_MINUTE: "0",
    ...extra,
  };
}

/** Starts the real service in-process; seeds it unless `seed: false`. */
export async function startSecServer(options: SecServerOptions = {}): Promise<SecServer> {
  const dataDir = mkdtempSync(join(tmpdir(), "groundline-sec-"));
  const held: Record<string, string> = options.heldQueue ? { REDIS_URL, RUN_WORKER_IN_API: "false", QUEUE_NAME: `sec-${randomUUID()}` } : {};
  const config = loadConfig(baseEnv(dataDir, { ...held, ...options.env }));
  const server = await startServer(config, pino({ level: "silent" }));
  const s: SecServer = {
    url: server.url,
    dataDir,
    server,
    dump: () => dumpStore(dataDir),
    close: async () => {
      await server.close().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  if (options.seed !== false && !options.heldQueue) s.seeded = await seed(s.url);
  return s;
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP helpers

export interface Res {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON body, or undefined. */
  body: Record<string, unknown> | undefined;
}

export interface Req {
  key?: string;
  json?: unknown;
  form?: FormData;
  headers?: Record<string, string>;
  /** Raw body (with `headers` giving its content type). */
  raw?: string | Uint8Array;
  timeoutMs?: number;
}

/** One request; never hangs longer than `timeoutMs` (default 20 s). */
export async function call(base: string, method: string, path: string, r: Req = {}): Promise<Res> {
  const headers: Record<string, string> = { ...r.headers };
  if (r.key !== undefined) headers["authorization"] = `Bearer ${r.key}`;
  let body: string | FormData | Buffer | undefined;
  if (r.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(r.json);
  } else if (r.form) body = r.form;
  else if (r.raw !== undefined) body = typeof r.raw === "string" ? r.raw : Buffer.from(r.raw);
  const res = await fetch(`${base}${path}`, { method, headers, ...(body !== undefined ? { body } : {}), signal: AbortSignal.timeout(r.timeoutMs ?? 20_000) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: jsonObject(text) };
}

/** The body as a JSON object, or undefined (not JSON, or not an object). */
export function jsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === "object" && v !== null ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Starts one shared security server for the calling file's tests (closed after them); call inside a describe or at top level. */
export function useSecServer(options: SecServerOptions = {}): () => SecServer {
  let server: SecServer | undefined;
  beforeAll(async () => {
    server = await startSecServer(options);
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });
  return () => {
    if (!server) throw new Error("the security server is not started");
    return server;
  };
}

/** A multipart form with the given files (`file` field) and text fields. */
export function form(files: Array<[name: string, content: string | Uint8Array]>, fields: Record<string, string> = {}): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  for (const [name, content] of files) f.append("file", new Blob([typeof content === "string" ? content : Buffer.from(content)]), name);
  return f;
}

/** Asserts a problem+json response with `status`, a title and a detail. */
export function expectProblem(res: Res, status: number): void {
  expect({ status: res.status, text: res.text.slice(0, 300) }).toMatchObject({ status });
  expect(res.headers.get("content-type") ?? "").toMatch(/^application\/problem\+json/);
  expect(res.body?.["status"]).toBe(status);
  expect(typeof res.body?.["title"]).toBe("string");
  expect(String(res.body?.["detail"] ?? "").length).toBeGreaterThan(0);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls a job (as the unlimited admin) until it is completed or failed; throws after `timeoutMs`. */
export async function waitJob(base: string, id: string, timeoutMs = 20_000): Promise<Record<string, unknown>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const res = await call(base, "GET", `/jobs/${encodeURIComponent(id)}`, { key: KEY.ops });
    const state = res.body?.["state"];
    if (state === "completed" || state === "failed") return res.body ?? {};
    if (Date.now() > end) throw new Error(`job ${id} did not finish in ${timeoutMs} ms (last: ${res.status} ${res.text.slice(0, 200)})`);
    await sleep(50);
  }
}

/** Waits until no job is waiting, active or delayed (seen by the unlimited admin), so a dump is stable. */
export async function settle(base: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    let busy = 0;
    for (const state of ["waiting", "active", "delayed"]) {
      const res = await call(base, "GET", `/jobs?state=${state}&limit=500`, { key: KEY.ops });
      if (res.status !== 200) throw new Error(`listing jobs failed: ${res.status} ${res.text.slice(0, 200)}`);
      busy += Array.isArray(res.body?.["items"]) ? (res.body["items"] as unknown[]).length : 0;
    }
    if (busy === 0) return;
    if (Date.now() > end) throw new Error(`jobs still pending after ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** The job ids of a 202 upload response. */
export function jobIds(res: Res): string[] {
  const jobs = res.body?.["jobs"];
  return Array.isArray(jobs) ? jobs.map((j) => String((j as { id: unknown }).id)) : [];
}

// ---------------------------------------------------------------------------------------------------------------
// Seed

async function upload(base: string, key: string, collection: string, files: Array<[string, string]>): Promise<string[]> {
  const res = await call(base, "POST", `/documents?collection=${collection}`, { key, form: form(files, { collection }) });
  if (res.status !== 202) throw new Error(`seed upload to ${collection} failed: ${res.status} ${res.text.slice(0, 300)}`);
  return jobIds(res);
}

async function seed(base: string): Promise<Seeded> {
  const perKey = (c: string): Array<[string, string]> =>
    MATRIX_KEY_NAMES.flatMap((k): Array<[string, string]> => [
      [`put-${k}-${c}.md`, `# Put ${k}\n\nThe ${c} replaceable note for ${k}.\n`],
      [`del-${k}-${c}.md`, `# Delete ${k}\n\nThe ${c} deletable note for ${k}.\n`],
    ]);
  const manualJobs = await upload(base, KEY.ops, "manuals", [["widget.md", WIDGET_MANUAL], ["firmware.md", FIRMWARE_MANUAL], ...perKey("manuals")]);
  const secretJobs = await upload(base, KEY.ingB, "secret", [["nightjar.md", NIGHTJAR_SECRET], ...perKey("secret")]);
  for (const id of [...manualJobs, ...secretJobs]) {
    const job = await waitJob(base, id);
    if (job["state"] !== "completed") throw new Error(`seed job failed: ${JSON.stringify(job).slice(0, 300)}`);
  }
  const manualsAnswer = await call(base, "POST", "/answer", { key: KEY.bot, json: { question: "How do I do a factory reset of the widget?" } });
  const secretAnswer = await call(base, "POST", "/answer", { key: KEY.ingB, json: { question: "What is the nightjar launch passphrase?" } });
  const idOf = (r: Res) => {
    if (r.status !== 200 || typeof r.body?.["id"] !== "string") throw new Error(`seed answer failed: ${r.status} ${r.text.slice(0, 300)}`);
    return r.body["id"];
  };
  const chunkOf = (r: Res, documentId: string) => {
    const cited = (r.body?.["citations"] as Array<{ documentId: string; chunkId?: string }> | undefined)?.find((c) => c.documentId === documentId);
    if (!cited?.chunkId) throw new Error(`seed answer cites no chunk of ${documentId}: ${r.text.slice(0, 300)}`);
    return cited.chunkId;
  };
  return {
    jobs: { manuals: manualJobs[0] as string, secret: secretJobs[0] as string },
    answers: { manuals: idOf(manualsAnswer), secret: idOf(secretAnswer) },
    chunks: { manuals: chunkOf(manualsAnswer, "widget.md"), secret: chunkOf(secretAnswer, "nightjar.md") },
  };
}
