// Browser-facing edges (issue #14): the Origin check against CORS_ORIGINS, CORS preflights, the widget key's reach
// (POST /answer only, its own collections) and its per-visitor rate limit, and the public console files.
import { describe, expect, it } from "vitest";
import { call, expectProblem, KEY, useSecServer } from "./harness.js";
import { expectRawProblem, rawRequest } from "./raw-http.js";

const HELP_SITE = "http://help.example.test:8080";
const EVIL = "http://evil.example.test";
const question = { question: "How do I do a factory reset of the widget?" };

describe("CORS_ORIGINS and the widget key", () => {
  const server = useSecServer({ env: { CORS_ORIGINS: `${HELP_SITE},https://docs.example.test`, WIDGET_RATE_LIMIT_PER_MINUTE: "12" } });

  it("answers a preflight from an allowed origin without a key, and refuses one from another origin (403 problem)", async () => {
    const s = server();
    const ok = await call(s.url, "OPTIONS", "/answer", { headers: { origin: HELP_SITE, "access-control-request-method": "POST", "access-control-request-headers": "authorization,content-type" } });
    expect(ok.status).toBe(204);
    expect(ok.headers.get("access-control-allow-origin")).toBe(HELP_SITE);
    expect(ok.headers.get("access-control-allow-headers")).toMatch(/authorization/i);
    expect(ok.headers.get("vary")).toMatch(/origin/i);
    const bad = await call(s.url, "OPTIONS", "/answer", { headers: { origin: EVIL, "access-control-request-method": "POST" } });
    expectProblem(bad, 403);
    expect(bad.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("refuses a disallowed origin's POST before it runs, even with a valid key; an allowed origin gets the answer with CORS headers", async () => {
    const s = server();
    const bad = await call(s.url, "POST", "/answer", { key: KEY.widget, json: question, headers: { origin: EVIL } });
    expectProblem(bad, 403);
    expect(String(bad.body?.["detail"])).toContain("CORS_ORIGINS");
    const good = await call(s.url, "POST", "/answer", { key: KEY.widget, json: question, headers: { origin: HELP_SITE } });
    expect(good.status, good.text.slice(0, 200)).toBe(200);
    expect(good.headers.get("access-control-allow-origin")).toBe(HELP_SITE);
    expect((good.body?.["citations"] as unknown[]).length).toBeGreaterThan(0);
  });

  it("lets the API's own origin (the console) and clients without Origin through", async () => {
    const s = server();
    const own = await call(s.url, "GET", "/whoami", { key: KEY.bot, headers: { origin: new URL(s.url).origin } });
    expect(own.status).toBe(200);
    expect(own.headers.get("access-control-allow-origin")).toBeNull();
    expect((await call(s.url, "GET", "/whoami", { key: KEY.bot })).status).toBe(200);
  });

  it("limits a widget key to POST /answer in its own collections", async () => {
    const s = server();
    for (const [method, path] of [["GET", "/documents"], ["GET", "/whoami"], ["POST", "/suggest"], ["GET", "/jobs"], ["GET", "/chunks/widget.md"]] as const) {
      const res = await call(s.url, method, path, { key: KEY.widget, ...(method === "POST" ? { json: { messages: [{ role: "customer", text: "hi" }] } } : {}) });
      expectProblem(res, 403);
    }
    const other = await call(s.url, "POST", "/answer", { key: KEY.widget, json: { ...question, filters: { collections: ["secret"] } } });
    expectProblem(other, 403);
    const secret = await call(s.url, "POST", "/answer", { key: KEY.widget, json: { question: "What is the nightjar launch passphrase?" } });
    expect(secret.status).toBe(200);
    expect(JSON.stringify(secret.body)).not.toMatch(/nightjar\.md/);
  });

  it("rate-limits widget visitors per client, apart from the other keys' budget", async () => {
    const s = server();
    // Earlier tests spent 8 of this visitor's 12 (refused requests count too); within the minute the 13th is refused.
    const statuses: number[] = [];
    for (let i = 0; i < 13; i++) statuses.push((await call(s.url, "POST", "/answer", { key: KEY.widget, json: question })).status);
    expect(statuses).toContain(429);
    const refused = await call(s.url, "POST", "/answer", { key: KEY.widget, json: question });
    expectProblem(refused, 429);
    expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);
    expect((await call(s.url, "POST", "/answer", { key: KEY.bot, json: question })).status).toBe(200);
  });

  it("serves / as a redirect to the console and the console's files without a key", async () => {
    const s = server();
    const root = await fetch(`${s.url}/`, { redirect: "manual" });
    expect(root.status).toBe(302);
    expect(root.headers.get("location")).toBe("/console/");
    const page = await call(s.url, "GET", "/console/");
    // Built by `npm test` (build:console) before the tests; without a build the route says so as a 404 problem.
    if (page.status === 404) expect(String(page.body?.["detail"])).toContain("npm run build");
    else {
      expect(page.status).toBe(200);
      expect(page.text).toContain('<div id="root">');
      expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
    }
    // Public means the console's own paths: a dot-segment through it reaches nothing without a key.
    // Sent verbatim (fetch would remove the dot-segments before sending).
    for (const path of ["/console/../documents", "/console/%2e%2e/whoami", "/console/assets/../../jobs"]) {
      expectRawProblem(await rawRequest(s.url, "GET", path), [401]);
    }
  });
});

describe("widget feedback: ratings of its own answers only, Origin-checked and rate-limited", () => {
  const server = useSecServer({ env: { CORS_ORIGINS: HELP_SITE, WIDGET_RATE_LIMIT_PER_MINUTE: "9" } });
  const feedback = async () => ((await call(server().url, "GET", "/analytics", { key: KEY.ops })).body?.["feedback"] ?? {}) as Record<string, number>;

  it("rates an answer served to the widget key; a second rating replaces the first; free text is refused", async () => {
    const s = server();
    const answered = await call(s.url, "POST", "/answer", { key: KEY.widget, json: question, headers: { origin: HELP_SITE } });
    expect(answered.status).toBe(200);
    const answerId = String(answered.body?.["id"]);
    const before = await feedback();
    const up = await call(s.url, "POST", "/feedback", { key: KEY.widget, json: { answerId, rating: "up" }, headers: { origin: HELP_SITE } });
    expect(up.status, up.text).toBe(201);
    expect(up.headers.get("access-control-allow-origin")).toBe(HELP_SITE);
    expect((await call(s.url, "POST", "/feedback", { key: KEY.widget, json: { answerId, rating: "down" }, headers: { origin: HELP_SITE } })).status).toBe(201);
    const after = await feedback();
    // One visitor, one vote: the down replaced the up.
    expect({ up: after["up"]! - before["up"]!, down: after["down"]! - before["down"]! }).toEqual({ up: 0, down: 1 });
    for (const extra of [{ comment: "bad" }, { correctedAnswer: "Say something else." }]) {
      const res = await call(s.url, "POST", "/feedback", { key: KEY.widget, json: { answerId, rating: "down", ...extra }, headers: { origin: HELP_SITE } });
      expectProblem(res, 403);
    }
  });

  it("cannot rate answers served to other keys (404, like an unknown id), nor from a disallowed origin", async () => {
    const s = server();
    const botAnswer = await call(s.url, "POST", "/answer", { key: KEY.bot, json: question });
    const res = await call(s.url, "POST", "/feedback", { key: KEY.widget, json: { answerId: String(botAnswer.body?.["id"]), rating: "down" }, headers: { origin: HELP_SITE } });
    expectProblem(res, 404);
    const unknown = await call(s.url, "POST", "/feedback", { key: KEY.widget, json: { answerId: "no-such-answer", rating: "down" }, headers: { origin: HELP_SITE } });
    expect(String(res.body?.["detail"])).toBe(String(unknown.body?.["detail"]).replace("no-such-answer", String(botAnswer.body?.["id"])));
    const own = await call(s.url, "POST", "/answer", { key: KEY.widget, json: question, headers: { origin: HELP_SITE } });
    const evil = await call(s.url, "POST", "/feedback", { key: KEY.widget, json: { answerId: String(own.body?.["id"]), rating: "down" }, headers: { origin: EVIL } });
    expectProblem(evil, 403);
    expect(String(evil.body?.["detail"])).toContain("CORS_ORIGINS");
    // Still only /answer and /feedback: everything else stays closed to a widget key.
    expectProblem(await call(s.url, "GET", "/analytics", { key: KEY.widget }), 403);
  });

  it("ratings count against the visitor's widget rate limit", async () => {
    const s = server();
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await call(s.url, "POST", "/feedback", { key: KEY.widget, json: { answerId: "no-such-answer", rating: "up" }, headers: { origin: HELP_SITE } })).status);
    expect(statuses).toContain(429);
  });
});
