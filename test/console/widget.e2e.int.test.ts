// The chat widget end to end in Debian's Chromium (issue #14): a help site on another origin loads /widget.js with one
// <script> tag; the widget answers (streamed) with citations, keeps the conversation, hands off on an escalation; a
// page on an origin missing from CORS_ORIGINS is refused.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, form, KEY, settle, startSecServer, type SecServer } from "../security/harness.js";
import { ensureConsoleBuilt, expectAccessible, HAVE_CHROMIUM, launchChromium } from "./browser.js";
import { DESCALER, KETTLE_TICKETS, kettlePdf } from "./fixtures.js";

/** A help site: one page with the widget's script tag, recording hand-off events into `window.handoffs`. */
function helpSite(api: () => string): Server {
  return createServer((req, res) => {
    if (req.url !== "/" && req.url !== "/zh") return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><html lang="${req.url === "/zh" ? "zh-CN" : "en"}"><head><title>Aurora help</title></head><body>
<main><h1>Aurora help centre</h1><p>Questions about your kettle?</p></main>
<script>window.handoffs = []; document.addEventListener("groundline:handoff", (e) => window.handoffs.push(e.detail));</script>
<script src="${api()}/widget.js" data-key="${KEY.widget}" data-title="Aurora help" data-handoff-event data-handoff-mailto="support@aurora.example" async></script>
</body></html>`);
  });
}

describe.skipIf(!HAVE_CHROMIUM)("chat widget in Chromium", () => {
  let server: SecServer;
  let site: Server;
  let browser: Browser;
  let port = 0;

  beforeAll(async () => {
    ensureConsoleBuilt();
    site = helpSite(() => server.url);
    await new Promise<void>((r) => site.listen(0, "127.0.0.1", r));
    port = (site.address() as AddressInfo).port;
    // Allowed: the site as http://127.0.0.1:port. The same page as http://localhost:port is another origin, not listed.
    server = await startSecServer({ seed: false, env: { CORS_ORIGINS: `http://127.0.0.1:${port}` } });
    const res = await call(server.url, "POST", "/documents?collection=manuals", {
      key: KEY.ops,
      form: form([["aurora-kettle.pdf", await kettlePdf(DESCALER.original)], ["kettle-tickets.json", KETTLE_TICKETS]], { collection: "manuals" }),
    });
    expect(res.status).toBe(202);
    await settle(server.url);
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await new Promise((r) => site?.close(r));
  });

  async function openWidget(origin: string): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${origin}/`);
    await page.getByRole("button", { name: "Open Aurora help chat" }).click();
    return page;
  }

  async function askWidget(page: Page, question: string): Promise<ReturnType<Page["locator"]>> {
    const before = await page.locator("li.bot").count();
    await page.getByLabel("Your question").fill(question);
    await page.getByLabel("Your question").press("Enter");
    const reply = page.locator("li.bot").nth(before);
    await expect.poll(() => reply.getAttribute("aria-busy"), { timeout: 20_000 }).toBeNull();
    return reply;
  }

  it("answers from another origin, streamed, with citations, and keeps the conversation", async () => {
    const page = await openWidget(`http://127.0.0.1:${port}`);
    const streamed = page.waitForResponse((r) => r.url() === `${server.url}/answer` && r.request().method() === "POST");
    const reply = await askWidget(page, "How do I descale the Aurora kettle?");
    const response = await streamed;
    expect(response.headers()["content-type"]).toMatch(/^text\/event-stream/);
    expect(response.headers()["access-control-allow-origin"]).toBe(`http://127.0.0.1:${port}`);
    expect(await reply.getAttribute("data-answer-id")).toMatch(/\S/);
    expect(await reply.textContent()).toContain(DESCALER.original);
    const sources = reply.getByRole("list", { name: "Sources" });
    expect(await sources.textContent()).toContain("Aurora Kettle Manual — Descaling the kettle, p. 2");
    // A citation without a URL opens its passage in place.
    await sources.locator("summary").first().click();
    expect(await sources.locator("blockquote").first().isVisible()).toBe(true);
    await expectAccessible(page, "help page with the widget open");

    const followUp = page.waitForRequest((r) => r.url() === `${server.url}/answer` && r.method() === "POST");
    await askWidget(page, "And why does its light blink red?");
    const sent = (await followUp).postDataJSON() as { history?: Array<{ role: string }>; stream?: boolean };
    expect(sent.stream).toBe(true);
    expect(sent.history?.map((t) => t.role)).toEqual(["user", "assistant"]);

    // Thumbs up on the first answer: POST /feedback from the help site's origin with the widget key.
    const rated = page.waitForResponse((r) => r.url() === `${server.url}/feedback` && r.request().method() === "POST");
    await reply.getByRole("group", { name: "Was this answer helpful?" }).getByRole("button", { name: "Helpful", exact: true }).click();
    const feedback = await rated;
    expect(feedback.status()).toBe(201);
    expect(feedback.request().postDataJSON()).toEqual({ answerId: await reply.getAttribute("data-answer-id"), rating: "up" });
    await expect.poll(() => reply.getByRole("status").textContent()).toBe("Thanks for your feedback.");
    expect(await reply.getByRole("button", { name: "Helpful", exact: true }).getAttribute("aria-pressed")).toBe("true");
    const report = await call(server.url, "GET", "/analytics", { key: KEY.ops });
    expect((report.body?.["feedback"] as { up: number }).up).toBe(1);
    await expectAccessible(page, "the widget with rating buttons");

    // The conversation survives a page load on the help site (this tab's sessionStorage): both exchanges, their
    // sources and the rating are shown again, the panel is open, and a follow-up still sends the history.
    await page.reload();
    await page.locator("li.bot").nth(1).waitFor();
    expect(await page.locator("li.user").allTextContents()).toEqual(["How do I descale the Aurora kettle?", "And why does its light blink red?"]);
    const restored = page.locator("li.bot").first();
    expect(await restored.getByRole("list", { name: "Sources" }).textContent()).toContain("Aurora Kettle Manual — Descaling the kettle, p. 2");
    expect(await restored.getByRole("button", { name: "Helpful", exact: true }).getAttribute("aria-pressed")).toBe("true");
    expect(await page.getByLabel("Your question").isVisible()).toBe(true);
    const afterReload = page.waitForRequest((r) => r.url() === `${server.url}/answer` && r.method() === "POST");
    await askWidget(page, "How often in hard water areas?");
    expect(((await afterReload).postDataJSON() as { history?: unknown[] }).history).toHaveLength(4);
    // A new conversation forgets it, also across loads.
    await page.getByRole("button", { name: "New conversation" }).click();
    await page.reload();
    await page.getByRole("button", { name: "Open Aurora help chat" }).waitFor();
    expect(await page.locator("li.user").count()).toBe(0);
  });

  it("offers the configured hand-off on an escalation and fires groundline:handoff with the transcript", async () => {
    const page = await openWidget(`http://127.0.0.1:${port}`);
    const handoff = page.getByRole("button", { name: "Talk to a person" });
    const reply = await askWidget(page, "What is the warranty on a spaceship engine?");
    expect(await reply.textContent()).toMatch(/human agent|not sure/i);
    await handoff.waitFor();
    const mail = await page.getByRole("link", { name: "Email support" }).getAttribute("href");
    expect(mail).toMatch(/^mailto:support@aurora\.example\?subject=.*&body=.*spaceship/);
    await handoff.click();
    const events = (await page.evaluate("window.handoffs")) as Array<{ transcript: Array<{ role: string; content: string }>; escalationReasons: string[] }>;
    expect(events).toHaveLength(1);
    expect(events[0]?.transcript[0]).toEqual({ role: "user", content: "What is the warranty on a spaceship engine?" });
    expect(events[0]?.escalationReasons.length).toBeGreaterThan(0);
  });

  it("speaks the page's language (Simplified Chinese on a zh-CN page)", async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`http://127.0.0.1:${port}/zh`);
    await page.getByRole("button", { name: "打开Aurora help聊天" }).click();
    await page.getByLabel("您的问题").waitFor();
    await page.getByRole("button", { name: "发送" }).waitFor();
  });

  it("does not offer a hand-off when the answer needs none", async () => {
    const page = await openWidget(`http://127.0.0.1:${port}`);
    await askWidget(page, "How do I descale the Aurora kettle?");
    expect(await page.getByRole("button", { name: "Talk to a person" }).isVisible()).toBe(false);
  });

  it("a long conversation keeps the last exchanges within /answer's history limit", async () => {
    const page = await openWidget(`http://127.0.0.1:${port}`);
    // 11 exchanges (22 turns) before this question: only the last 10 exchanges may go along.
    for (let i = 0; i < 11; i++) await askWidget(page, `How do I descale the Aurora kettle? (${i + 1})`);
    const sent = page.waitForRequest((r) => r.url() === `${server.url}/answer` && r.method() === "POST");
    const last = await askWidget(page, "And why does its light blink red?");
    const body = (await sent).postDataJSON() as { history: Array<{ content: string }> };
    expect(body.history).toHaveLength(20);
    expect(body.history[0]?.content).toContain("(2)");
    expect(await last.getAttribute("class")).not.toContain("error");
    expect(await last.getAttribute("data-answer-id")).toMatch(/\S/);
  }, 60_000);

  it("a page on an origin missing from CORS_ORIGINS is refused", async () => {
    const page = await openWidget(`http://localhost:${port}`);
    const reply = await askWidget(page, "How do I descale the Aurora kettle?");
    expect(await reply.textContent()).toMatch(/could not be reached/);
    expect(await reply.textContent()).not.toContain(DESCALER.original);
    // What the browser was refused: the preflight from that origin is a 403 problem.
    const preflight = await call(server.url, "OPTIONS", "/answer", { headers: { origin: `http://localhost:${port}`, "access-control-request-method": "POST" } });
    expect(preflight.status).toBe(403);
  });
});
