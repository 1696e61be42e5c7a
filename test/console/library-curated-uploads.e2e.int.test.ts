// Library issues from a new-user trial: one bad file in a dropped batch no longer sinks the good ones (each file is its
// own request and its own row), and a curated answer's document is listed read-only, pointing to Curated answers.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { call, KEY, type SecServer } from "../security/harness.js";
import { dropFiles, HAVE_CHROMIUM, useConsoleHarness, pageFile } from "./browser.js";

describe.skipIf(!HAVE_CHROMIUM)("library in Chromium: per-file uploads, curated answers read-only", () => {
  const harness = useConsoleHarness();

  async function library(key: string): Promise<Page> {
    const page = await harness.newPage();
    await page.goto(`${harness.server.url}/console/`);
    await page.getByLabel("API key").fill(key);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("link", { name: "Library" }).click();
    return page;
  }

  it("a screenshot dropped with a Markdown note: the note is ingested, only the screenshot's row is rejected", async () => {
    const page = await library(KEY.content);
    await page.getByLabel("Upload into collection").selectOption("manuals");
    await dropFiles(page, '[data-testid="dropzone"]', [
      pageFile("screenshot.png", "image/png", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0])),
      pageFile("note.md", "text/markdown", "# Lantern note\n\nThe lantern dims after ten minutes on battery to save power.\n"),
    ]);
    const row = (name: string) => page.locator(".uploads li", { has: page.locator(".name", { hasText: name }) });
    await expect.poll(() => row("note.md").getAttribute("data-state"), { timeout: 60_000, interval: 200 }).toBe("completed");
    await expect.poll(() => row("screenshot.png").getAttribute("data-state"), { timeout: 30_000, interval: 200 }).toBe("rejected");
    expect(await row("screenshot.png").textContent()).toMatch(/screenshot\.png/);
    expect(await row("note.md").textContent()).not.toMatch(/Unsupported|screenshot/);
    await page.locator('tr[data-document="note.md"]').waitFor();
  }, 90_000);

  it("Write answer saves into the collection the refused question was asked in, not the default one", async () => {
    const question = "Does the lantern float if it falls into a lake?";
    const asked = await call(harness.server.url, "POST", "/answer", { key: KEY.ops, json: { question, filters: { collections: ["manuals"] } } });
    expect(asked.status).toBe(200);
    expect(asked.body?.["answerable"]).toBe(false);
    const page = await library(KEY.ops);
    await page.getByRole("link", { name: "Analytics" }).click();
    const gap = page.locator(`ol.gaps li[data-gap="${question}"]`);
    await gap.waitFor();
    await gap.getByRole("button", { name: `Write answer for “${question}”` }).click();
    const dialog = page.getByRole("dialog", { name: "Curated answer" });
    await dialog.waitFor();
    expect(await dialog.getByLabel("Collection").inputValue()).toBe("manuals");
    await dialog.getByLabel("Answer", { exact: true }).fill("The lantern does not float: if it falls into a lake it sinks, but it stays waterproof down to one metre for thirty minutes.");
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => page.getByText("Saved version 1 of the curated answer.").count()).toBe(1);
    // Saved in manuals, so the bot limited to manuals now finds it.
    const list = await call(harness.server.url, "GET", "/curated?collection=manuals", { key: KEY.ops });
    expect(JSON.stringify(list.body?.["items"])).toContain(question);
    const again = await call(harness.server.url, "POST", "/answer", { key: KEY.bot, json: { question } });
    expect(again.status).toBe(200);
    expect(JSON.stringify(again.body?.["citations"])).toContain('"sourceType":"curated"');
  }, 60_000);

  it("a curated answer's document is listed without Replace or Delete, with a link to Curated answers", async () => {
    const created = await call(harness.server.url, "POST", "/curated", {
      key: KEY.ops,
      json: { collection: "manuals", question: "Can the lantern charge over USB-C?", answer: "Yes, any USB-C charger of 10 W or more charges it in three hours." },
    });
    expect(created.status).toBe(201);
    const id = String(created.body?.["id"]);
    const page = await library(KEY.content);
    const row = page.locator(`tr[data-document="${id}"]`);
    await row.waitFor();
    expect(await row.getByRole("button", { name: /Replace|Delete/ }).count()).toBe(0);
    await row.getByRole("link", { name: /Curated answers/ }).click();
    await page.getByRole("heading", { name: "Curated answers" }).waitFor();
  });
});
