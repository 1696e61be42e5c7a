import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAnswering, createEngineAssist, openAnalytics } from "../../src/container.js";
import { createApp, type AppDeps } from "../../src/http/create-app.js";
import { parseApiKeys } from "../../src/http/middleware/auth.js";
import type { AnalyticsStore } from "../../src/ports/analytics-store.js";
import { ingestInto, openTestEngine } from "../support/temp-engine.js";
import { FakeJobQueue, FakeUploadStore } from "./fakes.js";
import { DEFAULT_LIMITS, captureLogger } from "./harness.js";

const CORPORA = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "corpora");

interface Citation {
  documentId: string;
}
interface SuggestBody {
  id: string;
  suggestions: Array<{ text: string; citations: Citation[]; tone: string; basis: string }>;
  similarTickets: Array<{ documentId: string; subject: string; category: string | null; resolution: string | null; similarity: number }>;
  triage: {
    language: string;
    sentiment: { label: string; score: number; cues: string[] };
    intent: { category: string | null; confidence: number };
    escalate: { recommended: boolean; reasons: string[] };
  };
}

let t: Awaited<ReturnType<typeof openTestEngine>>;
let analytics: AnalyticsStore;
let logs: string[];
let deps: AppDeps;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  t = await openTestEngine();
  await ingestInto(t, [CORPORA]);
  const answering = await createAnswering(t.engine);
  analytics = openAnalytics(t.engine);
  const captured = captureLogger();
  logs = captured.logs;
  deps = {
    answering,
    assist: createEngineAssist(t.engine, answering, analytics),
    store: t.engine.store,
    queue: new FakeJobQueue(),
    uploads: new FakeUploadStore(),
    logger: captured.logger,
    auth: [],
    limits: DEFAULT_LIMITS,
    readiness: async () => ({ store: true }),
    defaultCollection: "default",
  };
  app = createApp(deps);
}, 60_000);

afterAll(async () => {
  analytics.close();
  await t.cleanup();
});

const ANGRY_THREAD = [
  { role: "customer", text: "My internet provider replaced my router yesterday and since then the hub blinks amber three times and the app says Offline." },
  { role: "agent", text: "Sorry to hear that. Have you tried unplugging the hub and plugging it back in?" },
  { role: "customer", text: "Yes, twice!! This is the third time I'm contacting you and it is STILL not fixed. This is unacceptable, I want to talk to a manager." },
];

describe("POST /suggest", () => {
  it("angry thread: cited, apologetic suggestions, the router-change ticket first, escalation with reasons", async () => {
    const res = await request(app).post("/suggest").send({ messages: ANGRY_THREAD, product: "Lumio HomeHub 3" });
    expect(res.status).toBe(200);
    const body = res.body as SuggestBody;
    expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.suggestions.length).toBeGreaterThanOrEqual(1);
    expect(body.suggestions.length).toBeLessThanOrEqual(3);
    for (const s of body.suggestions) {
      expect(s.citations.length).toBeGreaterThan(0);
      expect(s.tone).toBe("apologetic");
      expect(s.text).toMatch(/^I'm sorry/);
      expect(s.text).toMatch(/\[1\]/);
    }
    expect(body.suggestions.some((s) => /Action button|network reset|Set Up Network Again|Reconnect/i.test(s.text))).toBe(true);
    expect(body.similarTickets[0]).toMatchObject({ documentId: "T-1001", category: "connectivity" });
    expect(body.similarTickets[0]?.resolution).toMatch(/network reset/);
    expect(body.triage.sentiment.label).toBe("negative");
    expect(body.triage.sentiment.cues).toContain("anger");
    expect(body.triage.intent.category).toBe("connectivity");
    expect(body.triage.escalate.recommended).toBe(true);
    expect(body.triage.escalate.reasons).toEqual(expect.arrayContaining(["human-requested", "repeated-contact", "negative-sentiment"]));
  });

  it("calm how-to thread: manual-grounded suggestions first, neutral tone, no escalation", async () => {
    const res = await request(app)
      .post("/suggest")
      .send({ messages: [{ role: "customer", text: "Hi, how do I pair a Zigbee sensor with the hub?" }] });
    expect(res.status).toBe(200);
    const body = res.body as SuggestBody;
    expect(body.suggestions[0]?.basis).toBe("manual");
    expect(body.suggestions[0]?.citations[0]?.documentId).toMatch(/^manual\//);
    for (const s of body.suggestions) {
      expect(s.tone).toBe("neutral");
      expect(s.citations.length).toBeGreaterThan(0);
    }
    expect(body.suggestions[0]?.text).toMatch(/Add Device/);
    expect(body.triage.escalate).toMatchObject({ recommended: false, reasons: [] });
    expect(body.triage.sentiment.label).toBe("neutral");
    expect(body.triage.intent.category).toBe("pairing");
  });

  it("answers a Chinese customer in Chinese from the Chinese manual", async () => {
    const res = await request(app).post("/suggest").send({ messages: [{ role: "customer", text: "如何恢复出厂设置？" }] });
    const body = res.body as SuggestBody;
    expect(body.triage.language).toBe("zh");
    expect(body.suggestions[0]?.citations[0]?.documentId).toBe("manual/lumio-homehub-3.zh.md");
    expect(body.suggestions[0]?.text).toMatch(/恢复出厂设置/);
  });

  it("no evidence: a holding reply without citations and an escalation", async () => {
    const res = await request(app).post("/suggest").send({ messages: [{ role: "customer", text: "Do you sell replacement batteries for the Zorbatron 9000 blender?" }] });
    const body = res.body as SuggestBody;
    expect(body.suggestions).toEqual([{ text: "Thanks for reaching out! We're looking into this and will get back to you shortly.", citations: [], tone: "neutral", basis: "holding" }]);
    expect(body.triage.escalate.recommended).toBe(true);
    expect(body.triage.escalate.reasons).toContain("no-evidence");
  });

  it("rejects a thread without a customer message as problem+json naming the field", async () => {
    const res = await request(app).post("/suggest").send({ messages: [{ role: "agent", text: "Hello" }] });
    expect(res.status).toBe(400);
    expect(res.headers["content-type"]).toMatch(/application\/problem\+json/);
    expect(JSON.stringify(res.body)).toMatch(/messages/);
  });
});

describe("POST /answer carries triage", () => {
  it("a request for a human sets escalate with the triage's reasons, keeping the answer's fields", async () => {
    const res = await request(app).post("/answer").send({ question: "How do I factory reset the hub? I want to talk to a real person." });
    expect(res.status).toBe(200);
    expect(res.body.answer).toEqual(expect.any(String));
    expect(res.body.triage).toMatchObject({ language: "en", escalate: { recommended: true } });
    expect(res.body.escalate).toBe(true);
    expect(res.body.escalationReasons).toContain("human-requested");
  });

  it("a calm answerable question is not escalated", async () => {
    const res = await request(app).post("/answer").send({ question: "How do I factory reset the hub?" });
    expect(res.body.answerable).toBe(true);
    expect(res.body.escalate).toBe(false);
    expect(res.body.escalationReasons).toEqual([]);
    expect(res.body.triage.sentiment.label).toBe("neutral");
    expect(res.body.triage.intent.category).toEqual(expect.any(String));
  });

  it("the streamed answer event carries the triage too", async () => {
    const res = await request(app).post("/answer").set("accept", "text/event-stream").send({ question: "This is the third time I ask: how do I pair the remote?" });
    const answerEvent = res.text.split("\n\n").find((e) => e.startsWith("event: answer"));
    const data = JSON.parse(answerEvent!.split("\n").find((l) => l.startsWith("data: "))!.slice(6)) as { escalationReasons: string[]; triage: unknown };
    expect(data.triage).toBeDefined();
    expect(data.escalationReasons).toContain("repeated-contact");
  });

  it("chat completions report triage escalation in the groundline extension", async () => {
    const res = await request(app)
      .post("/v1/chat/completions")
      .send({ model: "groundline", messages: [{ role: "user", content: "The hub is smoking and smells of burning plastic, what do I do?" }] });
    expect(res.status).toBe(200);
    expect(res.body.groundline.escalate).toBe(true);
    expect(res.body.groundline.escalationReasons).toContain("sensitive-topic");
  });
});

describe("feedback and analytics", () => {
  it("records answers and suggestions, takes feedback, reports rates and clustered, redacted coverage gaps", async () => {
    const before = ((await request(app).get("/analytics")).body as { questions: number }).questions;
    const answered = await request(app).post("/answer").send({ question: "How do I pair the remote?" });
    const refusedIds: string[] = [];
    for (const q of ["Can I use the hub with a Tesla car charger? Mail me at maria.rossi@example.net", "Does the hub work with a Tesla car charger?", "Tesla car charger support"]) {
      const r = await request(app).post("/answer").send({ question: q });
      expect(r.body.answerable).toBe(false);
      refusedIds.push(r.body.id as string);
    }
    const suggestion = await request(app).post("/suggest").send({ messages: [{ role: "customer", text: "How do I pair the remote?" }] });

    expect((await request(app).post("/feedback").send({ answerId: answered.body.id, rating: "up" })).status).toBe(201);
    const down = await request(app).post("/feedback").send({ answerId: suggestion.body.id, rating: "down", comment: "call me on +44 20 7946 0958", correctedAnswer: "Hold the pairing button." });
    expect(down.status).toBe(201);
    expect(down.body).toEqual({ answerId: suggestion.body.id, rating: "down", recorded: true });
    const unknown = await request(app).post("/feedback").send({ answerId: "no-such-answer", rating: "up" });
    expect(unknown.status).toBe(404);
    expect(unknown.headers["content-type"]).toMatch(/problem\+json/);
    expect((await request(app).post("/feedback").send({ answerId: answered.body.id, rating: "meh" })).status).toBe(400);

    const report = (await request(app).get("/analytics").query({ from: "2000-01-01" })).body as {
      questions: number;
      rates: Record<string, number>;
      feedback: { up: number; down: number };
      mostCited: Array<{ documentId: string; title: string | null }>;
      coverageGaps: { clusters: Array<{ count: number; examples: string[]; representative: string }> };
    };
    expect(report.questions).toBe(before + 5);
    expect(report.feedback.up).toBeGreaterThanOrEqual(1);
    expect(report.feedback.down).toBeGreaterThanOrEqual(1);
    expect(report.rates.refused).toBeGreaterThan(0);
    expect(report.mostCited[0]?.title).toEqual(expect.any(String));
    const teslaCluster = report.coverageGaps.clusters.find((c) => c.examples.some((e) => /Tesla/.test(e)));
    expect(teslaCluster?.count).toBe(3);
    const all = JSON.stringify(report);
    expect(all).toContain("[EMAIL]");
    expect(all).not.toContain("maria.rossi");
    // Request ids are random UUIDs and may contain "7946" themselves: look for the phone number's digits in its format.
    expect(logs.join("")).not.toMatch(/maria\.rossi|Tesla|7946[ -]?0958/);

    const future = (await request(app).get("/analytics").query({ from: "2999-01-01" })).body as { questions: number };
    expect(future.questions).toBe(0);
    expect((await request(app).get("/analytics").query({ from: "2026-05-01", to: "2026-04-01" })).status).toBe(400);
    expect((await request(app).get("/analytics").query({ from: "yesterday" })).status).toBe(400);
  });

  it("scopes: /suggest needs 'assist' (a bot key with 'answer' gets 403), /feedback 'answer' or 'assist', /analytics 'admin'", async () => {
    const keyed = createApp({ ...deps, auth: parseApiKeys("bot:sk-bot-1:answer,agent:sk-agent-1:assist,ingest:sk-ing-1:ingest,ops:sk-ops-1:admin") });
    const thread = { messages: [{ role: "customer", text: "How do I pair the remote?" }] };
    expect((await request(keyed).post("/suggest").send(thread)).status).toBe(401);
    expect((await request(keyed).post("/suggest").set("authorization", "Bearer sk-ing-1").send(thread)).status).toBe(403);
    const bot = await request(keyed).post("/suggest").set("authorization", "Bearer sk-bot-1").send(thread);
    expect(bot.status).toBe(403);
    expect(bot.headers["content-type"]).toMatch(/application\/problem\+json/);
    expect(JSON.stringify(bot.body)).not.toMatch(/T-10\d\d|similarTickets/);
    expect((await request(keyed).post("/suggest").set("authorization", "Bearer sk-agent-1").send(thread)).status).toBe(200);
    expect((await request(keyed).post("/suggest").set("authorization", "Bearer sk-ops-1").send(thread)).status).toBe(200);
    expect((await request(keyed).post("/answer").set("authorization", "Bearer sk-agent-1").send({ question: "How do I pair the remote?" })).status).toBe(403);
    expect((await request(keyed).post("/feedback").set("authorization", "Bearer sk-ing-1").send({ answerId: "x", rating: "up" })).status).toBe(403);
    expect((await request(keyed).post("/feedback").set("authorization", "Bearer sk-agent-1").send({ answerId: "x", rating: "up" })).status).toBe(404);
    expect((await request(keyed).post("/feedback").set("authorization", "Bearer sk-bot-1").send({ answerId: "x", rating: "up" })).status).toBe(404);
    expect((await request(keyed).get("/analytics").set("authorization", "Bearer sk-bot-1")).status).toBe(403);
    expect((await request(keyed).get("/analytics").set("authorization", "Bearer sk-ops-1")).status).toBe(200);
  });
});
