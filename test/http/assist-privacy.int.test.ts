import { readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../../src/server/start-server.js";
import { testConfig } from "../support/temp-engine.js";

/** Personal data in the demo corpus (T-1016, T-1025) and in the ticket this test uploads. */
const CORPUS_PII = ["jane.doe@example.com", "4111 1111 1111 1111", "4111111111111111", "john.smith@example.org", "+1 555 0100 2233", "555 0100 2233"];
const UPLOAD_PII = ["maria.rossi@example.net", "+44 20 7946 0958", "7946 0958", "5500 0000 0000 0004", "5500000000000004", "GB82 WEST 1234 5698 7654 32", "GB82WEST", "203.0.113.77"];
/** Sent in a question and a feedback comment: returned to its sender only, never stored or logged. */
const QUESTION_PII = ["paolo.bianchi@example.com", "+39 06 6982 1234", "6982 1234"];

const UPLOADED_TICKET = {
  id: "T-9001",
  subject: "Refund to the wrong card",
  category: "billing",
  messages: [
    { role: "customer", text: "Please refund to my new card 5500 0000 0000 0004 or IBAN GB82 WEST 1234 5698 7654 32. Reach me at maria.rossi@example.net or +44 20 7946 0958. My router IP is 203.0.113.77." },
    { role: "agent", text: "Refunds always go back to the original payment method within 5 to 10 business days; we cannot send them to another card." },
  ],
  resolution: "Explained that refunds go to the original payment method.",
};

let server: RunningServer;
let dataDir: string;
const logs: string[] = [];
const bodies: string[] = [];

async function post(path: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${server.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const text = await res.text();
  bodies.push(text);
  return JSON.parse(text) as unknown;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

beforeAll(async () => {
  const config = testConfig({ PORT: "0", LOG_LEVEL: "trace" });
  dataDir = config.DATA_DIR;
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(chunk.toString("utf8"));
      cb();
    },
  });
  // The server ingests corpora/ into the demo collection on start (DEMO_CORPUS): T-1016 and T-1025 carry an e-mail, a card and a phone number.
  server = await startServer(config, pino({ level: "trace" }, stream));
  const form = new FormData();
  form.append("file", new Blob([JSON.stringify(UPLOADED_TICKET)], { type: "application/json" }), "refund.jsonl");
  const upload = await fetch(`${server.url}/documents`, { method: "POST", body: form });
  expect(upload.status).toBe(202);
  const job = ((await upload.json()) as { jobs: Array<{ id: string }> }).jobs[0]!;
  const end = Date.now() + 15_000;
  for (;;) {
    const info = (await (await fetch(`${server.url}/jobs/${job.id}`)).json()) as { state: string };
    if (info.state === "completed") break;
    if (info.state === "failed" || Date.now() > end) throw new Error(`upload job ended ${info.state}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await server.engine.indexes.catchUp();
}, 60_000);

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe("personal data never reaches storage, logs or answers", () => {
  it("stores redacted text with a per-document count of redactions", async () => {
    const store = server.engine.store;
    expect((await store.getDocument("demo", "T-1016"))?.redactions).toBe(2);
    expect((await store.getDocument("demo", "T-1025"))?.redactions).toBe(2);
    expect((await store.getDocument("default", "T-9001"))?.redactions).toBe(5);
    expect((await store.getDocument("demo", "manual/lumio-homehub-3.md"))?.redactions).toBe(0);
    const text = (await store.getDocumentChunks("default", "T-9001")).map((c) => c.text).join("\n");
    expect(text).toContain("my new card [CARD] or IBAN [IBAN]. Reach me at [EMAIL] or [PHONE]. My router IP is [IP].");
  });

  it("answers, suggestions and feedback never show it; then the files on disk and the logs hold none of it", async () => {
    const questions = [
      "I was charged twice for Lumio Plus, what is the account and card of the customer who had the same problem?",
      "How do I delete my account and all my data?",
      "Can I get my refund on a different card?",
      `My email is ${QUESTION_PII[0]} and my phone ${QUESTION_PII[1]}: how do I delete my account?`,
    ];
    const answerIds: string[] = [];
    for (const question of questions) {
      const answer = (await post("/answer", { question })) as { id: string; citations: Array<{ documentId: string }> };
      answerIds.push(answer.id);
      // Demo tickets (and uploaded ones: no collection is opted in) never answer customers.
      for (const c of answer.citations) expect(c.documentId).not.toMatch(/^T-/);
    }
    await post("/v1/chat/completions", { messages: [{ role: "user", content: "I was charged twice this month, refund please" }] });
    const suggestion = (await post("/suggest", {
      messages: [
        { role: "customer", text: "I was charged twice for Lumio Plus! I want my money back today, this is unacceptable." },
        { role: "agent", text: "Could you tell me more?" },
        { role: "customer", text: `Refund it to my other card please, call me at ${QUESTION_PII[1]}.` },
      ],
    })) as { id: string; similarTickets: Array<{ documentId: string }> };
    expect(suggestion.similarTickets.map((t) => t.documentId)).toContain("T-1016");
    await post("/feedback", { answerId: suggestion.id, rating: "down", comment: `wrong, mail ${QUESTION_PII[0]}`, correctedAnswer: `call ${QUESTION_PII[1]}` });
    await post("/feedback", { answerId: answerIds[0], rating: "down" });
    const report = await (await fetch(`${server.url}/analytics`)).text();
    bodies.push(report);
    expect(report).toContain("[EMAIL]");

    // Everything the service returned: no stored personal data (the caller's own question may echo in `question`).
    const served = bodies.join("\n");
    for (const pii of [...CORPUS_PII, ...UPLOAD_PII]) expect(served, pii).not.toContain(pii);
    expect(report).not.toContain(QUESTION_PII[0]);
    // Answers never quote other customers' words (only agent replies and resolutions), so no placeholder shows
    // up in them; the stored chunks carry the placeholders (first test).

    await server.close(); // saves the vector index, checkpoints and closes every database
    const files = filesUnder(dataDir);
    expect(files.map((f) => f.slice(dataDir.length + 1))).toEqual(expect.arrayContaining(["store.db", "analytics.db", "jobs.db"]));
    expect(files.some((f) => /hnsw|index/i.test(f))).toBe(true);
    const disk = Buffer.concat(files.map((f) => readFileSync(f)));
    expect(disk.includes("[EMAIL]")).toBe(true); // the probe sees stored text
    for (const pii of [...CORPUS_PII, ...UPLOAD_PII, ...QUESTION_PII]) expect(disk.includes(pii), pii).toBe(false);
    const logText = logs.join("");
    expect(logs.length).toBeGreaterThan(5);
    for (const pii of [...CORPUS_PII, ...UPLOAD_PII, ...QUESTION_PII]) expect(logText, pii).not.toContain(pii);
    expect(logText).not.toMatch(/charged twice|delete my account/i);
  });
});
