// The console end to end in Debian's Chromium (issue #14): the real server with the built console, a PDF and a ticket
// export dragged into the library, their jobs followed to completion, a cited answer in the playground whose citation
// opens the passage, replace and delete changing the answers, collection isolation, axe-core and a keyboard-only flow.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { call, form, KEY, NIGHTJAR_SECRET, settle, type SecServer } from "../security/harness.js";
import { askInPlayground, dropFiles, expectAccessible, HAVE_CHROMIUM, useConsoleHarness, pageFile } from "./browser.js";
import { DESCALER, KETTLE_TICKETS, kettlePdf } from "./fixtures.js";

const DESCALE = "How do I descale the Aurora kettle?";

describe.skipIf(!HAVE_CHROMIUM)("console in Chromium", () => {
  const harness = useConsoleHarness();

  /** A fresh browser session (its own sessionStorage) signed in with `key`. */
  async function signedIn(key: string): Promise<Page> {
    const page = await harness.newPage();
    await page.goto(`${harness.server.url}/`);
    expect(new URL(page.url()).pathname).toBe("/console/");
    await page.getByLabel("API key").fill(key);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("button", { name: "Forget key" }).waitFor();
    return page;
  }

  async function waitUploads(page: Page, count: number): Promise<void> {
    const finished = page.locator('.uploads li[data-state="completed"], .uploads li[data-state="failed"], .uploads li[data-state="rejected"]');
    await expect.poll(() => finished.count(), { timeout: 60_000, interval: 200 }).toBeGreaterThanOrEqual(count);
  }

  it("wrong keys are refused; the key is kept for the tab's session only", async () => {
    const page = await harness.newPage();
    await page.goto(`${harness.server.url}/console/`);
    await expectAccessible(page, "sign-in");
    await page.getByLabel("API key").fill("sk-not-a-key");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toMatch(/valid API key/);
    await page.getByLabel("API key").fill(KEY.bot);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("link", { name: "Playground" }).waitFor();
    // An answer-only key is not shown the library.
    expect(await page.getByRole("link", { name: "Library" }).count()).toBe(0);
    await page.reload();
    await page.getByRole("link", { name: "Playground" }).waitFor();
    expect(await page.evaluate("sessionStorage.getItem('groundline.apiKey')")).toBe(KEY.bot);
    expect(await page.evaluate(`Object.values(localStorage).includes(${JSON.stringify(KEY.bot)})`)).toBe(false);
  });

  it("speaks Simplified Chinese when chosen, on the sign-in page and every screen", async () => {
    const page = await harness.newPage();
    await page.goto(`${harness.server.url}/console/`);
    await page.getByLabel("Language").selectOption("zh");
    await page.getByLabel("API 密钥").fill(KEY.ops);
    expect(await page.evaluate("document.documentElement.lang")).toBe("zh-CN");
    await page.getByRole("button", { name: "登录" }).click();
    await page.getByRole("link", { name: "文档库" }).click();
    await page.getByRole("heading", { name: "文档库" }).waitFor();
    await page.getByLabel("上传到集合").waitFor();
    await expectAccessible(page, "library in Chinese");
    await page.getByRole("link", { name: "问答测试" }).click();
    await page.getByRole("button", { name: "提问" }).waitFor();
    await page.getByRole("link", { name: "客服助手" }).click();
    await page.getByRole("button", { name: "生成建议回复" }).waitFor();
    // The choice is kept for the next visit.
    await page.reload();
    await page.getByRole("button", { name: "清除密钥" }).waitFor();
  });

  it("library → drop a PDF and a ticket export → both jobs complete → cited answer → open the citation → the passage", async () => {
    const page = await signedIn(KEY.content);
    await page.getByRole("link", { name: "Library" }).click();
    await page.getByLabel("Upload into collection").selectOption("manuals");
    const jobRequests: string[] = [];
    page.on("request", (r) => (new URL(r.url()).pathname.startsWith("/jobs") ? jobRequests.push(new URL(r.url()).pathname) : undefined));
    await dropFiles(page, '[data-testid="dropzone"]', [
      pageFile("aurora-kettle.pdf", "application/pdf", await kettlePdf(DESCALER.original)),
      pageFile("kettle-tickets.json", "application/json", KETTLE_TICKETS),
    ]);
    await waitUploads(page, 2);
    expect(await page.locator('.uploads li[data-state="completed"]').count()).toBe(2);
    // Both jobs were followed over one event stream (GET /jobs/events), not by polling each job.
    expect(await page.locator('.uploads li[data-via="events"]').count()).toBe(2);
    expect(jobRequests).toEqual(["/jobs/events"]);
    const row = page.locator('tr[data-document="aurora-kettle.pdf"]');
    await row.waitFor();
    await expect.poll(() => row.textContent()).toMatch(/Aurora Kettle Manual.*manuals.*manual.*ready/);
    await page.locator('tr[data-document="T-4711"]').waitFor();
    await page.getByLabel("Search by title").fill("kettle light");
    await expect.poll(() => page.locator("tbody tr").count()).toBe(1);
    await page.getByLabel("Search by title").fill("");
    await expectAccessible(page, "library");

    // The document as the engine sees it: sections and chunks with their pages.
    await row.getByRole("link", { name: "Aurora Kettle Manual" }).click();
    const section = page.getByRole("region", { name: "Section Descaling the kettle" });
    await section.waitFor();
    expect(await section.textContent()).toContain(`${DESCALER.original} and water`);
    expect(await section.textContent()).toMatch(/p\. 2/);
    await expectAccessible(page, "document view");

    await page.getByRole("link", { name: "Playground" }).click();
    const turn = await askInPlayground(page, DESCALE);
    expect(await turn.locator(".answer").getAttribute("data-answerable")).toBe("true");
    expect(await turn.getByRole("list", { name: "Citations" }).textContent()).toContain("Aurora Kettle Manual — Descaling the kettle, p. 2");
    await turn.getByRole("button", { name: /^Open citation 1/ }).first().click();
    const passage = page.getByRole("complementary", { name: "Cited passage 1" });
    await passage.waitFor();
    // The cited chunk opened whole from the document (not just the snippet): its section, printed page and every
    // sentence of the descaling section.
    await expect.poll(() => passage.getAttribute("data-whole")).toBe("true");
    const whole = await passage.textContent();
    expect(whole).toMatch(/Descaling the kettle · page 2/);
    for (const sentence of ["white vinegar and water in equal parts", "rinse the kettle three times", "every month in hard water"]) expect(whole).toContain(sentence);
    // Anchored at the cited chunk (the document view scrolls to it and focuses it).
    expect(await passage.getByRole("link", { name: "Open in the document" }).getAttribute("href")).toMatch(/^#\/document\/manuals\/aurora-kettle\.pdf\?chunk=./);
    await turn.getByRole("button", { name: "Helpful", exact: true }).click();
    await expect.poll(() => turn.getByRole("status").last().textContent()).toContain("feedback recorded");
    await expectAccessible(page, "playground");

    // A follow-up goes with the conversation (the earlier question and answer as `history`).
    const sent = page.waitForRequest((r) => r.url().endsWith("/answer") && r.method() === "POST");
    const followUp = await askInPlayground(page, "How often should I do that in hard water areas?");
    const body = (await sent).postDataJSON() as { history?: Array<{ role: string; content: string }> };
    expect(body.history?.map((t) => t.role)).toEqual(["user", "assistant"]);
    expect(body.history?.[0]?.content).toBe(DESCALE);
    expect(await followUp.locator(".answer").getAttribute("data-answerable")).toBe("true");
    expect(await followUp.getByRole("list", { name: "Citations" }).textContent()).toContain("Aurora Kettle Manual");
  }, 120_000);

  it("agent assist: a pasted thread gets suggestions with placeholders highlighted, similar tickets and triage chips", async () => {
    // The agent key (assist only) sees agent assist and nothing customer-facing.
    const page = await signedIn(KEY.agent);
    expect(await page.getByRole("link", { name: "Playground" }).count()).toBe(0);
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: harness.server.url });
    await page.getByRole("link", { name: "Agent assist" }).click();
    await page.getByLabel("Customer thread").fill(
      "Customer: The light on my Aurora kettle keeps blinking red after boiling.\nAgent: Have you descaled it recently?\nCustomer: Yes and it still blinks red. I want to talk to a human.",
    );
    await page.getByRole("button", { name: "Suggest replies" }).click();
    const chips = page.getByRole("region", { name: "Triage" });
    await chips.waitFor({ timeout: 20_000 });
    const chipText = await chips.textContent();
    expect(chipText).toContain("Language: en");
    expect(chipText).toMatch(/Sentiment: (negative|neutral|positive)/);
    expect(chipText).toMatch(/Escalate: human-requested — “[^”]*human[^”]*”/i);
    const ticketSuggestion = page.locator('li.suggestion[data-basis="similar-tickets"]');
    await ticketSuggestion.first().waitFor();
    // The ticket's phone number reaches the agent as a placeholder to fill in, highlighted; citation markers are not.
    const marks = await ticketSuggestion.first().locator("mark.placeholder").allTextContents();
    expect(marks.map((m) => m.toLowerCase()), (await ticketSuggestion.first().textContent()) ?? "").toContain("[phone]");
    expect(marks).not.toContain("[1]");
    expect(await page.locator("ul.tickets").textContent()).toContain("Kettle light blinks red");
    await page.getByRole("button", { name: "Copy suggestion 1" }).click();
    await expect.poll(() => page.locator("li.suggestion").first().getByRole("status").textContent()).toBe("Copied.");
    const first = await page.locator("li.suggestion").first().locator(".answer-text").textContent();
    expect(await page.evaluate("navigator.clipboard.readText()")).toBe(first);
    await expectAccessible(page, "agent assist");

    // In Chinese the chips say the sentiment, intent and escalation reason in Chinese, not the API's codes.
    expect(chipText).toContain("Intent: hardware-fault");
    await page.getByLabel("Language").selectOption("zh");
    const zh = (await page.getByRole("region", { name: "分诊" }).textContent()) ?? "";
    expect(zh).toMatch(/情绪：(负面|中性|正面)/);
    expect(zh).toContain("意图：硬件故障");
    expect(zh).toMatch(/转人工：客户要求人工服务 — “[^”]*human[^”]*”/i);
    expect(zh).not.toMatch(/negative|neutral|positive|hardware-fault|human-requested/);
    // The suggestions' tone and the similar tickets' categories too.
    const cards = (await page.locator("li.suggestion").allTextContents()).join(" ");
    expect(cards).toMatch(/语气：(致歉|友好|中性)/);
    expect(cards).not.toMatch(/语气：[a-z]/);
    expect(await page.locator("ul.tickets").textContent()).toContain("硬件故障");
    await page.getByLabel("语言").selectOption("en");
  }, 60_000);

  it("replacing and deleting a document changes the answers", async () => {
    const page = await signedIn(KEY.content);
    await page.getByRole("link", { name: "Library" }).click();
    await page.locator('tr[data-document="aurora-kettle.pdf"]').waitFor();
    // A proxy that refuses the event stream: the library falls back to polling the job.
    await page.route("**/jobs/events?*", (route) => route.fulfill({ status: 502, contentType: "text/plain", body: "bad gateway" }));
    await page.getByLabel("New file for Aurora Kettle Manual").setInputFiles({ name: "aurora-kettle.pdf", mimeType: "application/pdf", buffer: await kettlePdf(DESCALER.replaced) });
    await waitUploads(page, 1);
    expect(await page.locator('.uploads li[data-state="completed"]').getAttribute("data-via")).toBe("polling");
    await page.getByRole("link", { name: "Playground" }).click();
    const replaced = await askInPlayground(page, DESCALE);
    expect(await replaced.locator(".answer-text").textContent()).toContain(DESCALER.replaced);
    expect(await replaced.locator(".answer-text").textContent()).not.toContain(DESCALER.original);

    await page.getByRole("link", { name: "Library" }).click();
    await page.getByRole("button", { name: "Delete Aurora Kettle Manual" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete “Aurora Kettle Manual”?" });
    await dialog.waitFor();
    await expectAccessible(page, "delete confirmation");
    await dialog.getByRole("button", { name: "Delete" }).click();
    await page.locator('tr[data-document="aurora-kettle.pdf"]').waitFor({ state: "detached" });
    await page.getByRole("link", { name: "Playground" }).click();
    const gone = await askInPlayground(page, DESCALE);
    expect(await gone.textContent()).not.toContain("Aurora Kettle Manual");
    expect(await gone.textContent()).not.toContain(DESCALER.replaced);
  }, 120_000);

  it("a key limited to another collection never sees these documents on any screen", async () => {
    const upload = await call(harness.server.url, "POST", "/documents?collection=secret", { key: KEY.ingB, form: form([["nightjar.md", NIGHTJAR_SECRET]], { collection: "secret" }) });
    expect(upload.status).toBe(202);
    await settle(harness.server.url);
    const page = await signedIn(KEY.ingB);
    expect(await page.locator(".who").textContent()).toContain("collections: secret");
    await page.getByRole("link", { name: "Library" }).click();
    await page.locator('tr[data-document="nightjar.md"]').waitFor();
    expect(await page.locator("tbody tr").count()).toBe(1);
    expect(await page.getByLabel("Upload into collection").locator("option").allTextContents()).toEqual(["secret"]);
    expect(await page.locator("main").textContent()).not.toMatch(/kettle/i);
    // Addressing the manuals document directly: refused, nothing of it shown.
    await page.goto(`${harness.server.url}/console/#/document/manuals/T-4711`);
    await page.getByRole("alert").waitFor();
    expect(await page.locator("main").textContent()).not.toMatch(/blinks red|heating plate/i);
    await page.getByRole("link", { name: "Playground" }).click();
    const turn = await askInPlayground(page, "Why does the Aurora kettle light blink red?");
    expect(await turn.textContent()).not.toMatch(/Kettle light blinks red|heating plate/);
  });

  it("analytics: charts with their numbers, the review queue, and only the key's collections", async () => {
    const page = await signedIn(KEY.ops);
    await page.getByRole("link", { name: "Analytics" }).click();
    const kpis = page.getByRole("list", { name: "Summary" });
    await kpis.waitFor();
    // Every question the earlier tests asked (content, ingB) is visible to the unlimited admin.
    expect(Number(await kpis.locator("strong").first().textContent())).toBeGreaterThanOrEqual(5);
    expect(await page.locator("figure.chart canvas").count()).toBe(4);
    // Questions per day by outcome: the days' rows add up to every question so far.
    const daily = page.locator("figure.chart").first();
    await daily.getByText("Show the numbers").click();
    const rows = await daily.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => tr.textContent ?? ""));
    expect(rows[0]).toMatch(/^\d{4}-\d{2}-\d{2}/);
    const counted = await daily.locator("tbody td:not(:first-child)").allTextContents();
    expect(counted.map(Number).reduce((a, b) => a + b, 0)).toBe(Number(await kpis.locator("strong").first().textContent()));
    const outcomes = page.locator("figure.chart").nth(1);
    await outcomes.getByText("Show the numbers").click();
    expect(await outcomes.locator("tbody tr").count()).toBe(4);
    const queue = await page.locator("ol.gaps").textContent();
    // ingB's refused question (secret collection) is in the unlimited admin's review queue...
    expect(queue).toContain("Why does the Aurora kettle light blink red?");
    await expectAccessible(page, "analytics");

    // ...and never in the manuals-only admin's, whose numbers are its own collections'.
    const limited = await signedIn(KEY.opsM);
    await limited.getByRole("link", { name: "Analytics" }).click();
    await limited.getByRole("list", { name: "Summary" }).waitFor();
    expect(await limited.locator("main").textContent()).not.toContain("Why does the Aurora kettle light blink red?");
    const all = Number(await kpis.locator("strong").first().textContent());
    expect(Number(await limited.getByRole("list", { name: "Summary" }).locator("strong").first().textContent())).toBeLessThan(all);
  }, 60_000);

  it("a key for every collection uploads (through the file picker) into a new collection it names", async () => {
    const page = await signedIn(KEY.ops);
    await page.getByRole("link", { name: "Library" }).click();
    await page.getByLabel("Upload into collection").fill("release-notes");
    await page.getByLabel("Files to upload").setInputFiles({ name: "notes-3-2.md", mimeType: "text/markdown", buffer: Buffer.from("# Release 3.2\n\nThe kettle app now shows the descaling reminder.\n") });
    await waitUploads(page, 1);
    const row = page.locator('tr[data-document="notes-3-2.md"]');
    await row.waitFor();
    expect(await row.locator("td").first().textContent()).toBe("release-notes");

    // More documents than a page: the server searches and pages them (50 a page), the console asks for each page.
    const notes = Array.from({ length: 54 }, (_, i): [string, string] => [`notes-1-${String(i).padStart(2, "0")}.md`, `# Release 1.${i}\n\nSmall fixes.\n`]);
    for (let i = 0; i < notes.length; i += 18) {
      const res = await call(harness.server.url, "POST", "/documents?collection=release-notes", { key: KEY.ops, form: form(notes.slice(i, i + 18), { collection: "release-notes" }) });
      expect(res.status).toBe(202);
    }
    await settle(harness.server.url, 60_000);
    const asked = page.waitForRequest((r) => /\/documents\?.*q=Release/.test(r.url()));
    await page.getByLabel("Search by title").fill("Release");
    await asked;
    const pager = page.locator("nav.pager");
    await expect.poll(() => pager.getByRole("status").textContent()).toBe("1–50 of 55");
    expect(await page.locator("tbody tr").count()).toBe(50);
    await pager.getByRole("button", { name: "Next page" }).click();
    await expect.poll(() => pager.getByRole("status").textContent()).toBe("51–55 of 55");
    expect(await page.locator("tbody tr").count()).toBe(5);
    expect(await pager.getByRole("button", { name: "Next page" }).isDisabled()).toBe(true);
    await expectAccessible(page, "library, second page");
  }, 90_000);

  it("keyboard only: sign in, open the playground, ask, open the citation", async () => {
    const page = await harness.newPage();
    await page.goto(`${harness.server.url}/console/`);
    const lid = await call(harness.server.url, "POST", "/documents?collection=manuals", {
      key: KEY.content,
      json: { id: "kettle-lid.md", title: "Opening the kettle lid", text: "To open the lid of the Aurora kettle, press the lid button on the handle.", collection: "manuals" },
    });
    expect(lid.status).toBe(202);
    await settle(harness.server.url);
    // The key field has focus once the sign-in form shows.
    await page.getByLabel("API key").waitFor();
    expect(await page.evaluate("document.activeElement?.id")).toBe("api-key");
    await page.keyboard.type(KEY.content);
    await page.keyboard.press("Enter");
    await page.getByRole("button", { name: "Forget key" }).waitFor();
    const active = async (): Promise<string[]> =>
      (await page.evaluate("[document.activeElement?.textContent?.trim() ?? '', document.activeElement?.getAttribute('aria-label') ?? '', document.activeElement?.id ?? '']")) as string[];
    const focusOn = async (name: string, key = "Tab"): Promise<void> => {
      for (let i = 0; i < 30; i++) {
        if ((await active()).some((part) => part === name || part.startsWith(name))) return;
        await page.keyboard.press(key);
      }
      throw new Error(`could not reach '${name}' with ${key}`);
    };
    await focusOn("Playground");
    await page.keyboard.press("Enter");
    await focusOn("question");
    await page.keyboard.type("How do I open the lid of the Aurora kettle?");
    await page.keyboard.press("Enter");
    await page.locator(".answer").first().waitFor({ timeout: 20_000 });
    // Back up to the answer's first citation marker (Shift+Tab from the question box).
    await focusOn("Open citation 1", "Shift+Tab");
    await page.keyboard.press("Enter");
    const passage = page.getByRole("complementary", { name: "Cited passage 1" });
    await passage.waitFor();
    expect(await passage.textContent()).toContain("press the lid button");
    expect(await page.evaluate("document.activeElement?.getAttribute('aria-label')")).toBe("Cited passage 1");
  }, 60_000);
});
