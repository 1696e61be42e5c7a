import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { createAnswering, createEngineAssist, openAnalytics } from "../../src/container.js";
import { createApp } from "../../src/http/create-app.js";
import type { AnalyticsStore } from "../../src/ports/analytics-store.js";
import { ingestPaths } from "../../ingest/ingest-files.js";
import { openTestEngine } from "../support/temp-engine.js";
import { appDeps } from "./harness.js";

// Issue #13, part 3: "No other customer's specifics in a reply". A past ticket is one customer's case; customers are
// answered from knowledge sources only, unless a collection opts in (TICKET_ANSWER_COLLECTIONS), and then only with
// the general resolution.

const CORPORA = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "corpora");

/** A past ticket full of one customer's specifics, around a general policy (duplicate payments, 5 to 10 days). */
const TICKET = {
  id: "T-5001",
  subject: "Priya Raman: charged twice on order A-778812",
  category: "billing",
  messages: [
    { role: "customer", text: "I was charged twice for my Lumio Plus renewal. Please fix this, Priya Raman." },
    {
      role: "agent",
      text:
        "Hi Priya, I'm sorry about the duplicate payment on order #A-778812. I can see two payments of $59.00 on 3 March 2026. " +
        "Duplicate payments for Lumio Plus are always refunded in full to the original payment method. " +
        "I have issued the refund to your card now, and I've cancelled the second subscription on account ACC-99120. " +
        "A refunded duplicate payment shows on the bank statement within 5 to 10 business days.",
    },
  ],
  resolution: "Refunded $59.00 duplicate payment to Priya's card on 3 March 2026.",
};

/** What must never reach another customer: the ticket's name, amount, dates, numbers and the agent's actions. */
const SPECIFICS = [/Priya/, /Raman/, /59/, /3 March/, /2026/, /A-778812/, /778812/, /ACC-99120/, /99120/, /I have issued/i, /I've cancelled/i, /cancelled the second/i];
/** From the demo tickets (T-1016, T-1017). */
const DEMO_SPECIFICS = [/Jane/, /4\.99/, /49\.99/, /1 February/, /issued the refund/i, /processed it for you/i];

const QUESTION = "I was charged twice for Lumio Plus. How long until a refunded duplicate payment shows on my bank statement?";
/** Questions whose best ticket sentences are the specific ones (without generalisation they quote them verbatim). */
const PROBING = [
  QUESTION,
  "Duplicate payment on my order: was the refund issued and the second subscription cancelled?",
  "charged twice refund duplicate payment",
];

let t: Awaited<ReturnType<typeof openTestEngine>>;
let analytics: AnalyticsStore;
let knowledgeOnly: ReturnType<typeof createApp>;
let optedIn: ReturnType<typeof createApp>;

interface AnswerBody {
  answer: string;
  answerable: boolean;
  citations: Array<{ documentId: string; title: string; snippet: string; sectionPath: string[] }>;
}

beforeAll(async () => {
  t = await openTestEngine();
  const dir = join(t.config.DATA_DIR, "support-src");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "support.jsonl"), `${JSON.stringify(TICKET)}\n`);
  const deps = { store: t.engine.store, embedder: t.engine.embedder, redact: t.engine.redact };
  const options = (collection: string) => ({ settings: t.engine.ingestSettings(collection), maxBytes: t.config.MAX_FILE_BYTES });
  await ingestPaths(deps, [CORPORA], options("default"));
  await ingestPaths(deps, [dir], options("support"));
  await t.engine.indexes.catchUp();
  analytics = openAnalytics(t.engine);
  // The configured default (no TICKET_ANSWER_COLLECTIONS), and the same engine with `support` opted in.
  const plain = await createAnswering(t.engine);
  knowledgeOnly = createApp(appDeps(plain, t.engine.store, { assist: createEngineAssist(t.engine, plain, analytics) }));
  const opted = await createAnswering(t.engine, { answer: { ticketCollections: loadConfig({ TICKET_ANSWER_COLLECTIONS: "support" }).TICKET_ANSWER_COLLECTIONS } });
  optedIn = createApp(appDeps(opted, t.engine.store, { assist: createEngineAssist(t.engine, opted, analytics) }));
}, 60_000);

afterAll(async () => {
  analytics.close();
  await t.cleanup();
});

function expectNoSpecifics(body: unknown, patterns: readonly RegExp[]): void {
  const served = JSON.stringify(body);
  for (const re of patterns) expect(served, String(re)).not.toMatch(re);
}

describe("by default customers are answered from knowledge sources only", () => {
  it.each(PROBING)("/answer never cites or quotes a ticket, even when one matches best: %s", async (question) => {
    const res = await request(knowledgeOnly).post("/answer").send({ question });
    expect(res.status).toBe(200);
    const body = res.body as AnswerBody;
    for (const c of body.citations) expect(c.documentId).not.toMatch(/^T-/);
    expectNoSpecifics({ answer: body.answer, citations: body.citations }, [...SPECIFICS, ...DEMO_SPECIFICS]);
  });

  it("asking for tickets explicitly finds nothing to answer from", async () => {
    const res = await request(knowledgeOnly).post("/answer").send({ question: QUESTION, filters: { sourceTypes: ["ticket"] } });
    expect(res.body).toMatchObject({ answerable: false, citations: [] });
    expectNoSpecifics({ answer: (res.body as AnswerBody).answer }, SPECIFICS);
  });

  it("the off-topic question of the issue is not answered from another customer's refund", async () => {
    const res = await request(knowledgeOnly).post("/answer").send({ question: "How do I cancel my subscription?" });
    const body = res.body as AnswerBody;
    for (const c of body.citations) expect(c.documentId).not.toMatch(/^T-/);
    expectNoSpecifics({ answer: body.answer, citations: body.citations }, [...SPECIFICS, ...DEMO_SPECIFICS]);
  });

  it("/v1/chat/completions takes the same default", async () => {
    const res = await request(knowledgeOnly).post("/v1/chat/completions").send({ model: "groundline", messages: [{ role: "user", content: QUESTION }] });
    expect(res.status).toBe(200);
    const body = res.body as { choices: Array<{ message: { content: string } }>; citations: Array<{ documentId: string }> };
    for (const c of body.citations) expect(c.documentId).not.toMatch(/^T-/);
    expectNoSpecifics({ text: body.choices[0]?.message.content, citations: body.citations }, [...SPECIFICS, ...DEMO_SPECIFICS]);
  });
});

describe("in an opted-in collection a ticket answers only with its general resolution", () => {
  it.each(PROBING)("cites the ticket under a neutral title, with the policy and without a customer-specific fact: %s", async (question) => {
    const res = await request(optedIn).post("/answer").send({ question, filters: { collections: ["support"] } });
    expect(res.status).toBe(200);
    const body = res.body as AnswerBody;
    // The ticket is used (else this test would prove nothing) …
    expect(body.answerable).toBe(true);
    expect(body.citations.map((c) => c.documentId)).toContain("T-5001");
    expect(body.answer).toMatch(/5 to 10 business days|refunded in full/);
    // … generalised: no name, amount, date, order or account number, no action taken on that account, no placeholder.
    expectNoSpecifics({ answer: body.answer, citations: body.citations }, SPECIFICS);
    expect(body.answer).not.toMatch(/\[(?:customer name|amount|date|action taken)/);
    const cited = body.citations.find((c) => c.documentId === "T-5001");
    expect(cited).toMatchObject({ title: "Resolved support case", sectionPath: [] });
  });

  it("tickets of collections not opted in stay out, also next to an opted-in one", async () => {
    const res = await request(optedIn).post("/answer").send({ question: "I was charged twice for Lumio Plus, can I get a refund?" });
    const body = res.body as AnswerBody;
    for (const c of body.citations) expect(["T-5001"].includes(c.documentId) || !/^T-/.test(c.documentId)).toBe(true);
    expectNoSpecifics({ answer: body.answer, citations: body.citations }, [...SPECIFICS, ...DEMO_SPECIFICS]);
  });
});

describe("TICKET_ANSWER_COLLECTIONS", () => {
  it("is a validated list; the demo collection cannot be opted in", () => {
    expect(loadConfig({}).TICKET_ANSWER_COLLECTIONS).toEqual([]);
    expect(loadConfig({ TICKET_ANSWER_COLLECTIONS: " support, faq ,support" }).TICKET_ANSWER_COLLECTIONS).toEqual(["support", "faq"]);
    expect(() => loadConfig({ TICKET_ANSWER_COLLECTIONS: "ok,not ok" })).toThrow(/TICKET_ANSWER_COLLECTIONS/);
    expect(() => loadConfig({ TICKET_ANSWER_COLLECTIONS: "support,demo" })).toThrow(/demo tickets never answer customers/);
  });

  it("DEMO_CORPUS is a real switch; INGEST_ON_START stays its older name", async () => {
    const { demoCorpusEnabled } = await import("../../src/config.js");
    expect(demoCorpusEnabled(loadConfig({}))).toBe(true);
    expect(demoCorpusEnabled(loadConfig({ DEMO_CORPUS: "false" }))).toBe(false);
    expect(demoCorpusEnabled(loadConfig({ INGEST_ON_START: "false" }))).toBe(false);
    expect(demoCorpusEnabled(loadConfig({ DEMO_CORPUS: "true", INGEST_ON_START: "false" }))).toBe(true);
    expect(() => loadConfig({ DEMO_CORPUS: "maybe" })).toThrow(/DEMO_CORPUS/);
  });
});
