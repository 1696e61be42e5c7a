import { afterEach, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createAnswering, createEngineAssist, openAnalytics, type Engine } from "../../src/container.js";
import { createApp } from "../../src/http/create-app.js";
import type { Embedder } from "../../src/ports/embedder.js";
import { ingestPaths } from "../../ingest/ingest-files.js";
import { openTestEngine } from "../support/temp-engine.js";
import { appDeps, listen } from "../http/harness.js";

const MANUAL = "# Hub Manual\n\n## Reset\n\nPress and hold the reset button for 12 seconds until the LED ring blinks red.\n";
const TICKETS = `${JSON.stringify({ id: "T-1", subject: "Hub will not reset", category: "reset", messages: [{ role: "customer", text: "My hub does not reset." }], resolution: "Hold reset for 12 seconds." })}\n`;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Counts what the serving path asks of the embedder and the keyword index's term statistics (the IDF). */
function counting(engine: Engine): { engine: Engine; calls: { embed: number; termStats: number } } {
  const calls = { embed: 0, termStats: 0 };
  const e = engine.embedder as Embedder & { embedQueryWeighted?: unknown };
  const embedder: Embedder = {
    id: e.id,
    dimensions: e.dimensions,
    embedDocuments: (texts) => e.embedDocuments(texts),
    embedQuery: (text) => (calls.embed++, e.embedQuery(text)),
  };
  const keywords = new Proxy(engine.keywords, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (prop === "stats" && typeof value === "function") return (...args: unknown[]) => (calls.termStats++, (value as (...a: unknown[]) => unknown).apply(target, args));
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { engine: { ...engine, embedder, keywords }, calls };
}

async function setup() {
  const t = await openTestEngine({ ANSWER_MIN_CONFIDENCE: "0" });
  cleanups.push(t.cleanup);
  const dir = join(t.config.DATA_DIR, "src");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "hub.md"), MANUAL);
  writeFileSync(join(dir, "tickets.jsonl"), TICKETS);
  await ingestPaths({ store: t.engine.store, embedder: t.engine.embedder }, [dir], { settings: t.engine.ingestSettings(), maxBytes: 1e6 });
  await t.engine.indexes.catchUp();
  await t.engine.indexes.save();
  const { engine, calls } = counting(t.engine);
  const answering = await createAnswering(engine);
  const analytics = openAnalytics(engine);
  cleanups.push(async () => analytics.close());
  const deps = appDeps(answering, engine.store, { assist: createEngineAssist(engine, answering, analytics) });
  const server = await listen(createApp(deps));
  cleanups.push(server.close);
  return { url: server.url, calls, dataDir: t.config.DATA_DIR, analytics };
}

async function postAnswer(url: string, question: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${url}/answer`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ question }) });
  return (await res.json()) as Record<string, unknown>;
}

function comparable(a: Record<string, unknown>): Record<string, unknown> {
  const { id: _id, timings: _t, ...rest } = a;
  return rest;
}

describe("one serving pipeline", () => {
  it("POST /answer embeds the question once and reads the IDF once, triage included", async () => {
    const t = await setup();
    t.calls.embed = 0;
    t.calls.termStats = 0;
    const a = await postAnswer(t.url, "How do I reset the hub?");
    expect(a["triage"]).toBeDefined();
    expect(t.calls.embed).toBe(1);
    expect(t.calls.termStats).toBe(1);
  });

  it("POST /suggest shares one memo across its ticket search, answer and triage: the question is embedded once", async () => {
    const t = await setup();
    t.calls.embed = 0;
    t.calls.termStats = 0;
    const res = await fetch(`${t.url}/suggest`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ messages: [{ role: "customer", text: "How do I reset the hub?" }] }),
    });
    expect(res.status).toBe(200);
    expect(t.calls.embed).toBe(1);
  });

  it("`npm run ask -- --json` and POST /answer return the same answer object, triage included", async () => {
    const t = await setup();
    const question = "How do I reset the hub?";
    const viaHttp = await postAnswer(t.url, question);
    const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/ask.ts", question, "--json"], {
      env: { ...process.env, DATA_DIR: t.dataDir, LOG_LEVEL: "silent", ANSWER_MIN_CONFIDENCE: "0" },
      encoding: "utf8",
    });
    expect(r.status, r.stderr).toBe(0);
    const viaCli = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(viaCli["triage"]).toBeDefined();
    expect(comparable(viaCli)).toEqual(comparable(viaHttp));
  });
});
