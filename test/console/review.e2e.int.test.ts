// The review queue end to end in Debian's Chromium (issue #14): a bot's refused question with a correction sent
// through POST /feedback shows up as a proposed answer (never answered from before acceptance) → "Edit and accept"
// makes it a curated answer by the reviewing key, crediting the bot → the question leaves the open queue and is listed
// as covered → the playground answers it citing the curated answer, while a near miss that adds a word ("cancel the
// pairing") is not; a proposal is accepted in one click and another dismissed on the Curated answers screen.
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { call, KEY, settle, type SecServer } from "../security/harness.js";
import { askInPlayground, expectAccessible, HAVE_CHROMIUM, useConsoleHarness } from "./browser.js";

const MANUAL = `# Gadget Manual

## Power

Press and hold the power button for three seconds to turn the gadget on. The LED turns green when it is ready.
`;
const QUESTION = "How do I pair the remote with the gadget?";
const CORRECTION = "Hold the OK and Back buttons on the remote for five seconds until the gadget's LED blinks blue. Ask pairing.help@example.com";
const EDITED = "Hold the OK and Back buttons on the remote together for five seconds, until the gadget's LED blinks blue. The remote is paired when the LED stays blue.";
const NEAR_MISS = "How do I cancel the pairing of the remote with the gadget?";

describe.skipIf(!HAVE_CHROMIUM)("the review queue in Chromium", () => {
  const harness = useConsoleHarness(async (server: SecServer) => {
    const upload = await call(server.url, "POST", "/documents", { key: KEY.content, json: { id: "gadget.md", title: "Gadget Manual", text: MANUAL, collection: "manuals" } });
    expect(upload.status).toBe(202);
    await settle(server.url);
  });
  let page: Page;

  /** The bot asks (and is refused), then sends a correction: a proposal. */
  async function propose(question: string, correctedAnswer: string): Promise<void> {
    const asked = await call(harness.server.url, "POST", "/answer", { key: KEY.bot, json: { question } });
    expect(asked.body?.["answerable"], question).toBe(false);
    const fb = await call(harness.server.url, "POST", "/feedback", { key: KEY.bot, json: { answerId: asked.body?.["id"], rating: "down", correctedAnswer } });
    expect(fb.status).toBe(201);
  }

  beforeAll(async () => {
    page = await harness.newPage();
    await page.goto(`${harness.server.url}/console/`);
    await page.getByLabel("API key").fill(KEY.opsM);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("button", { name: "Forget key" }).waitFor();
  }, 120_000);

  async function ask(question: string): Promise<ReturnType<Page["locator"]>> {
    await page.getByRole("link", { name: "Playground" }).click();
    return askInPlayground(page, question);
  }

  it("a bot's correction → proposed answer → Edit and accept → covered, answered citing it; a near miss is not", async () => {
    await propose(QUESTION, CORRECTION);
    await page.getByRole("link", { name: "Analytics" }).click();
    await page.locator(`ol.gaps li[data-gap="${QUESTION}"]`).waitFor();
    const proposal = page.locator(`li[data-proposal="${QUESTION}"]`);
    await proposal.waitFor();
    expect(await proposal.textContent()).toMatch(/proposed by bot/);
    expect(await proposal.textContent()).toContain("[EMAIL]");
    expect(await proposal.textContent()).not.toContain("example.com");
    await expectAccessible(page, "review queue with a proposed answer");
    // Not customer-facing before acceptance.
    const before = await ask(QUESTION);
    expect(await before.locator(".answer").getAttribute("data-answerable")).toBe("false");

    await page.getByRole("link", { name: "Analytics" }).click();
    await page.getByRole("button", { name: `Edit and accept the proposed answer to “${QUESTION}”` }).click();
    const dialog = page.getByRole("dialog", { name: "Review the proposed answer" });
    await dialog.waitFor();
    expect(await dialog.getByLabel("Question it answers").inputValue()).toBe(QUESTION);
    expect(await dialog.getByLabel("Answer", { exact: true }).inputValue()).toContain("[EMAIL]");
    await expectAccessible(page, "proposed answer form");
    await dialog.getByLabel("Answer", { exact: true }).fill(EDITED);
    await dialog.getByRole("button", { name: "Save" }).click();
    await page.getByText(`Accepted: curated answer to “${QUESTION}” (version 1).`).waitFor();
    await page.getByText("No proposed answers.").waitFor();

    // Asked again by the server, the question is covered: out of the open queue, listed under the covered filter.
    await expect.poll(() => page.locator(`ol.gaps li[data-gap="${QUESTION}"]`).count()).toBe(0);
    await page.getByLabel("Show").selectOption("covered");
    const covered = page.locator(`ol.gaps li[data-gap="${QUESTION}"][data-covered="true"]`);
    await covered.waitFor();
    expect(await covered.textContent()).toContain(`Covered by the curated answer to “${QUESTION}”`);
    await page.getByLabel("Show").selectOption("open");

    const turn = await ask(QUESTION);
    expect(await turn.locator(".answer").getAttribute("data-answerable")).toBe("true");
    expect(await turn.locator("ol.citations li").first().textContent()).toMatch(/Curated answer.*curated answer v1 by opsM/);
    const miss = await ask(NEAR_MISS);
    expect(await miss.locator("ol.citations li", { hasText: "Curated answer" }).count()).toBe(0);

    await page.getByRole("link", { name: "Curated answers" }).click();
    await page.getByRole("button", { name: `Versions of the answer to “${QUESTION}”` }).click();
    const versions = page.getByRole("list", { name: `Versions of the answer to “${QUESTION}”` });
    expect(await versions.locator("li").first().textContent()).toMatch(/^Version 1 by opsM.*proposed by bot/);
  }, 120_000);

  it("on the Curated answers screen: accept in one click, dismiss another; a dismissed one is never answered from", async () => {
    await propose("How do I clean the gadget's lens?", "Wipe the lens with a dry microfiber cloth.");
    await propose("Where is the gadget's serial number printed?", "On a sticker under the battery cover.");
    await page.getByRole("link", { name: "Playground" }).click();
    await page.getByRole("link", { name: "Curated answers" }).click();
    await page.locator('li[data-proposal="How do I clean the gadget\'s lens?"]').waitFor();
    await expectAccessible(page, "curated answers with proposals");
    await page.getByRole("button", { name: "Accept the proposed answer to “How do I clean the gadget's lens?”", exact: true }).click();
    await page.getByText("Accepted: curated answer to “How do I clean the gadget's lens?” (version 1).").waitFor();
    await page.getByRole("button", { name: "Dismiss the proposed answer to “Where is the gadget's serial number printed?”" }).click();
    await page.getByText("Dismissed the proposed answer to “Where is the gadget's serial number printed?”.").waitFor();
    await page.getByText("No proposed answers.").waitFor();
    expect(await page.locator("table.curated-list tbody").textContent()).toContain("How do I clean the gadget's lens?");
    expect(await page.locator("table.curated-list tbody").textContent()).not.toContain("serial number");
    const lens = await ask("How do I clean the gadget's lens?");
    expect(await lens.locator(".answer-text").textContent()).toContain("microfiber");
    const serial = await ask("Where is the gadget's serial number printed?");
    expect(await serial.locator(".answer").getAttribute("data-answerable")).toBe("false");
  }, 120_000);
});
