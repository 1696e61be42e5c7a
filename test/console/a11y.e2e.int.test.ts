// What a new user's trial of the console found, end to end in Chromium: dialogs start on the safe choice and give focus
// back to what opened them, every screen's controls are found by their visible labels, the playground keeps its
// conversation across screens, a citation opens the document at the cited chunk, counts are pluralised, and a page
// load asks the server nothing that needs a key before there is one.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { call, form, KEY, settle, type SecServer } from "../security/harness.js";
import { askInPlayground, expectAccessible, HAVE_CHROMIUM, useConsoleHarness } from "./browser.js";

const FILTER = "To replace the water filter of the Aurora kettle, twist the filter cap counter-clockwise and pull it out.";

/** A long manual: 30 sections, the cited one last, so opening it at the top would not show it. */
function longManual(): string {
  const sections = Array.from({ length: 29 }, (_, i) => `## Care note ${i + 1}\n\n${`Care note ${i + 1} is about keeping the kettle base dry and the cord untangled. `.repeat(6)}\n`);
  return `# Aurora kettle care\n\n${sections.join("\n")}\n## Replacing the water filter\n\n${FILTER}\n`;
}

describe.skipIf(!HAVE_CHROMIUM)("console accessibility fixes in Chromium", () => {
  const harness = useConsoleHarness(async (server: SecServer) => {
    // Markdown files (not JSON text): their headings become the chunks' section paths.
    const files = form([["kettle-care.md", longManual()], ["toaster.md", "# Toaster manual\n\nThe toaster has six browning levels.\n"]], { collection: "manuals" });
    expect((await call(server.url, "POST", "/documents?collection=manuals", { key: KEY.content, form: files })).status).toBe(202);
    await settle(server.url);
  });

  async function fresh(): Promise<Page> {
    return harness.newPage();
  }

  async function signedIn(key: string): Promise<Page> {
    const page = await fresh();
    await page.goto(`${harness.server.url}/console/`);
    await page.getByLabel("API key").fill(key);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("button", { name: "Forget key" }).waitFor();
    return page;
  }

  const focused = (page: Page): Promise<string> =>
    page.evaluate("(document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? '').trim()") as Promise<string>;

  it("a page load asks nothing that needs a key before one is entered (no 401 in the browser console)", async () => {
    const page = await fresh();
    const refused: string[] = [];
    page.on("response", (r) => (r.status() === 401 ? refused.push(r.url()) : undefined));
    page.on("console", (m) => (m.type() === "error" ? refused.push(m.text()) : undefined));
    await page.goto(`${harness.server.url}/console/`);
    await page.getByLabel("API key").waitFor();
    await page.waitForLoadState("networkidle");
    expect(refused).toEqual([]);
  });

  it("the delete dialog starts on Cancel (Enter does not delete) and gives focus back to the Delete button", async () => {
    const page = await signedIn(KEY.content);
    await page.getByRole("link", { name: "Library" }).click();
    const opener = page.getByRole("button", { name: "Delete Toaster manual" });
    const dialog = page.getByRole("dialog", { name: "Delete “Toaster manual”?" });
    for (const close of ["Escape", "Enter", "click Cancel"]) {
      await opener.click();
      await dialog.waitFor();
      expect(await focused(page), close).toBe("Cancel");
      if (close === "click Cancel") await dialog.getByRole("button", { name: "Cancel" }).click();
      else await page.keyboard.press(close);
      await dialog.waitFor({ state: "detached" });
      expect(await focused(page), close).toBe("Delete Toaster manual");
    }
    expect(await page.locator('tr[data-document="toaster.md"]').count()).toBe(1);
    // Confirmed: the button is gone with its row, focus goes to the screen's heading (not <body>).
    await opener.click();
    await dialog.getByRole("button", { name: "Delete", exact: true }).click();
    await page.locator('tr[data-document="toaster.md"]').waitFor({ state: "detached" });
    expect(await page.evaluate("document.activeElement?.tagName + ' ' + document.activeElement?.textContent")).toBe("H1 Library");
  });

  it("every screen's main controls are found by their visible labels", async () => {
    const page = await signedIn(KEY.ops);
    const screens: Array<[string, string[]]> = [
      ["Library", ["Collection", "Search by title", "Files to upload"]],
      ["Playground", ["Question", "Collections (comma-separated, empty for all)", "Manuals", "Tickets"]],
      ["Agent assist", ["Customer thread", "Product (optional)"]],
      ["Analytics", ["From", "To (exclusive)", "Show"]],
    ];
    for (const [screen, labels] of screens) {
      await page.getByRole("link", { name: screen }).click();
      await page.getByRole("heading", { level: 1, name: screen }).waitFor();
      for (const label of labels) {
        const control = page.getByLabel(label, { exact: true });
        await control.first().waitFor({ state: "attached", timeout: 10_000 }).catch(() => undefined);
        expect(await control.count(), `${screen}: ${label}`).toBe(1);
      }
    }
    await page.getByRole("link", { name: "Library" }).click();
    await page.getByLabel("Collection", { exact: true }).selectOption("manuals");
  });

  it("the playground keeps the conversation across screens; Escape closes the passage back onto its citation; the document opens at the cited chunk", async () => {
    const page = await signedIn(KEY.content);
    await page.getByRole("link", { name: "Playground" }).click();
    const turn = await askInPlayground(page, "How do I replace the water filter of the Aurora kettle?");
    expect(await turn.locator(".answer").getAttribute("data-answerable")).toBe("true");
    const marker = turn.getByRole("button", { name: /^Open citation 1/ }).first();
    await marker.click();
    const passage = page.getByRole("complementary", { name: "Cited passage 1" });
    await passage.waitFor();
    await page.keyboard.press("Escape");
    await passage.waitFor({ state: "detached" });
    expect(await focused(page)).toMatch(/^Open citation 1/);

    // Another screen and back: the conversation is still there; a reload keeps it too (the browser session).
    await page.getByRole("link", { name: "Library" }).click();
    await page.getByRole("heading", { name: "Library" }).waitFor();
    await page.getByRole("link", { name: "Playground" }).click();
    await page.locator("article.turn").first().waitFor();
    expect(await page.locator("article.turn").count()).toBe(1);
    await page.reload();
    await page.locator("article.turn .answer").first().waitFor();

    // Open in the document: the cited chunk is highlighted, in view and focused; a contents list jumps within the page.
    await page.getByRole("button", { name: /^Open citation 1/ }).first().click();
    await expect.poll(() => page.getByRole("complementary", { name: "Cited passage 1" }).getAttribute("data-whole")).toBe("true");
    await page.getByRole("link", { name: "Open in the document" }).click();
    const cited = page.locator("li.cited");
    await cited.waitFor();
    expect(await cited.textContent()).toContain("twist the filter cap");
    await expect.poll(() => page.evaluate("document.activeElement?.classList.contains('cited')")).toBe(true);
    const inView = "(() => { const r = document.querySelector('li.cited').getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; })()";
    await expect.poll(() => page.evaluate(inView)).toBe(true);
    const contents = page.getByRole("navigation", { name: "Contents" });
    await page.locator("ol.chunks li").first().waitFor();
    expect(await contents.getByRole("button").count()).toBeGreaterThanOrEqual(30);
    await contents.getByRole("button", { name: /Care note 1$/ }).first().click();
    expect(await page.evaluate("document.activeElement?.textContent")).toMatch(/Care note 1$/);
    await expectAccessible(page, "document view at a cited chunk");

    // New conversation starts over.
    await page.getByRole("link", { name: "Playground" }).click();
    await page.locator("article.turn").first().waitFor();
    await page.getByRole("button", { name: "New conversation" }).click();
    expect(await page.locator("article.turn").count()).toBe(0);
    await page.reload();
    await page.getByRole("button", { name: "New conversation" }).waitFor();
    expect(await page.locator("article.turn").count()).toBe(0);
  }, 90_000);

  it("analytics says “1 question”, never “1 questions”", async () => {
    const page = await signedIn(KEY.ops);
    await page.getByRole("link", { name: "Analytics" }).click();
    await page.getByRole("list", { name: "Summary" }).waitFor();
    const main = (await page.locator("main").textContent()) ?? "";
    // Exactly one question was asked so far in this server (the content key's, in the playground test).
    expect(main).toMatch(/1 question(?!s)/);
    expect(main).not.toMatch(/\b1 questions\b/);
  });

  it("agent assist in Chinese: the sentiment escalation's score, the tone and the categories are Chinese", async () => {
    const page = await signedIn(KEY.agent);
    await page.getByLabel("Language").selectOption("zh");
    await page.getByRole("link", { name: "客服助手" }).click();
    await page.getByLabel("客户对话").fill("Customer: This is unacceptable!!! The kettle broke again, I am furious and disgusted. Terrible, awful service.");
    await page.getByRole("button", { name: "生成建议回复" }).click();
    const chips = page.getByRole("region", { name: "分诊" });
    await chips.waitFor({ timeout: 20_000 });
    const text = (await chips.textContent()) ?? "";
    expect(text).toMatch(/转人工：客户情绪不佳 — “情绪得分 -?[\d.]+（[^）]*愤怒[^）]*）”/);
    expect(text).not.toMatch(/score|anger|frustration/);
    await page.locator("li.suggestion").first().waitFor();
    expect((await page.locator("li.suggestion").allTextContents()).join(" ")).not.toMatch(/语气：[a-z]/);
  }, 60_000);
});

describe.skipIf(!HAVE_CHROMIUM)("console on a server without API keys", () => {
  const harness = useConsoleHarness(undefined, { API_KEYS: "" });

  it("asks nothing on load, enters on “Continue without a key”, and stays entered for the tab's session", async () => {
    const context = await harness.newContext();
    const page = await context.newPage();
    const asked: string[] = [];
    page.on("request", (r) => (new URL(r.url()).pathname === "/whoami" ? asked.push(r.url()) : undefined));
    page.on("console", (m) => (m.type() === "error" ? asked.push(m.text()) : undefined));
    await page.goto(`${harness.server.url}/console/`);
    await page.getByLabel("API key").waitFor();
    expect(asked).toEqual([]);
    await page.getByRole("button", { name: "Continue without a key" }).click();
    await page.getByRole("link", { name: "Library" }).waitFor();
    await page.reload();
    await page.getByRole("link", { name: "Library" }).waitFor();
    expect(await page.getByLabel("API key").count()).toBe(0);
    await context.close();
  });
});
