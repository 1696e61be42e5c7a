// Curated answers end to end in Debian's Chromium (issue #14, item 4): a refused question appears in the review
// queue → "Write answer" creates a curated answer → the same question and a paraphrase are answered citing it as a
// curated answer, while a near miss ("unpair" after an answer about pairing) is not → edit makes version 2 by the
// editing key → delete stops the answers at once. The real server, the built console, real keys.
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { call, KEY, settle, type SecServer } from "../security/harness.js";
import { askInPlayground, expectAccessible, HAVE_CHROMIUM, useConsoleHarness } from "./browser.js";

const MANUAL = `# Gadget Manual

## Power

Press and hold the power button for three seconds to turn the gadget on. The LED turns green when it is ready.

## Factory reset

Unplug the gadget, hold the reset pin for ten seconds, then plug it back in and wait for the blue LED.
`;
const QUESTION = "How do I pair the remote with the gadget?";
const PARAPHRASE = "What are the steps to pair my remote to the gadget?";
const NEAR_MISS = "How do I unpair the remote?";
const ANSWER = "Hold the OK and Back buttons on the remote together for five seconds, until the gadget's LED blinks blue. The remote is paired when the LED stays blue.";

describe.skipIf(!HAVE_CHROMIUM)("curated answers in Chromium", () => {
  const harness = useConsoleHarness(async (server: SecServer) => {
    const upload = await call(server.url, "POST", "/documents", { key: KEY.content, json: { id: "gadget.md", title: "Gadget Manual", text: MANUAL, collection: "manuals" } });
    expect(upload.status).toBe(202);
    await settle(server.url);
  });
  let page: Page;

  beforeAll(async () => {
    page = await harness.newPage();
    await page.goto(`${harness.server.url}/console/`);
    // The manuals-only admin: reads analytics, curates, answers.
    await page.getByLabel("API key").fill(KEY.opsM);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("button", { name: "Forget key" }).waitFor();
  }, 120_000);

  async function ask(question: string): Promise<ReturnType<Page["locator"]>> {
    await page.getByRole("link", { name: "Playground" }).click();
    return askInPlayground(page, question);
  }

  it("refused → in review → Write answer → the question and a paraphrase cite it; a near miss does not", async () => {
    const refused = await ask(QUESTION);
    expect(await refused.locator(".answer").getAttribute("data-answerable")).toBe("false");

    await page.getByRole("link", { name: "Analytics" }).click();
    const gap = page.locator(`ol.gaps li[data-gap="${QUESTION}"]`);
    await gap.waitFor();
    await expectAccessible(page, "review queue with Write answer");
    await gap.getByRole("button", { name: `Write answer for “${QUESTION}”` }).click();
    const dialog = page.getByRole("dialog", { name: "Curated answer" });
    await dialog.waitFor();
    expect(await dialog.getByLabel("Question it answers").inputValue()).toBe(QUESTION);
    // The answer field has focus: typed by keyboard, saved with Enter on the focused button.
    await page.keyboard.type(ANSWER);
    await expectAccessible(page, "curated answer form");
    await dialog.getByRole("button", { name: "Save" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => page.getByText("Saved version 1 of the curated answer.").count()).toBe(1);

    for (const q of [QUESTION, PARAPHRASE]) {
      const turn = await ask(q);
      expect(await turn.locator(".answer").getAttribute("data-answerable"), q).toBe("true");
      expect(await turn.locator(".answer-text").textContent()).toContain("OK and Back buttons");
      const citation = turn.locator("ol.citations li").first();
      expect(await citation.textContent()).toMatch(new RegExp(`Curated answer.*${QUESTION.replace(/\?/g, "\\?")}.*curated answer v1 by opsM`));
    }
    const miss = await ask(NEAR_MISS);
    expect(await miss.locator(".answer").getAttribute("data-answerable")).toBe("false");
    expect(await miss.locator("ol.citations").count()).toBe(0);
    await expectAccessible(page, "playground with a curated citation");
  }, 90_000);

  it("Curated answers: edit makes version 2, versions are listed, delete stops the answers at once", async () => {
    await page.getByRole("link", { name: "Curated answers" }).click();
    const row = page.locator("table.curated-list tbody tr").first();
    await row.waitFor();
    expect(await row.textContent()).toContain(QUESTION);
    await expectAccessible(page, "curated answers");
    await page.getByRole("button", { name: `Edit the answer to “${QUESTION}”` }).click();
    const dialog = page.getByRole("dialog", { name: "Edit curated answer (a new version)" });
    await dialog.getByLabel("Answer", { exact: true }).fill(`${ANSWER} Replace the remote's batteries if the LED never blinks.`);
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => page.getByText("Saved version 2 of the curated answer.").count()).toBe(1);
    await page.getByRole("button", { name: `Versions of the answer to “${QUESTION}”` }).click();
    const versions = page.getByRole("list", { name: `Versions of the answer to “${QUESTION}”` });
    await versions.waitFor();
    expect(await versions.locator("li").allTextContents()).toEqual([
      expect.stringMatching(/^Version 2 by opsM.*batteries/),
      expect.stringMatching(/^Version 1 by opsM/),
    ]);

    await page.getByRole("button", { name: `Delete the answer to “${QUESTION}”` }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
    await page.getByText("No curated answers yet.").waitFor();
    const after = await ask(QUESTION);
    expect(await after.locator(".answer").getAttribute("data-answerable")).toBe("false");
  }, 90_000);

  it("a key without curate reads curated answers but is offered no write, and the bot key no screen", async () => {
    const other = await harness.newContext();
    try {
      const p = await other.newPage();
      await p.goto(`${harness.server.url}/console/`);
      await p.getByLabel("API key").fill(KEY.content);
      await p.getByRole("button", { name: "Sign in" }).click();
      await p.getByRole("link", { name: "Curated answers" }).click();
      await p.getByRole("heading", { name: "Curated answers" }).waitFor();
      expect(await p.getByRole("button", { name: /^Edit|^Delete/ }).count()).toBe(0);
      await p.getByRole("button", { name: "Forget key" }).click();
      await p.getByLabel("API key").fill(KEY.bot);
      await p.getByRole("button", { name: "Sign in" }).click();
      await p.getByRole("link", { name: "Playground" }).waitFor();
      expect(await p.getByRole("link", { name: "Curated answers" }).count()).toBe(0);
    } finally {
      await other.close();
    }
  }, 60_000);
});
