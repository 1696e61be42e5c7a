// `npm run screenshots`: renders every console screen and the chat widget in Debian's Chromium into docs/screenshots/
// (not part of `npm test`). Starts the real server over a temporary DATA_DIR with the demo corpus (corpora/) ingested.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { chromium, type Page } from "playwright-core";
import { loadConfig } from "../src/config.js";
import { packageRoot } from "../src/package-root.js";
import { startServer } from "../src/server/start-server.js";

const CHROMIUM = "/usr/bin/chromium";
const ADMIN = "sk-screens-admin";
const WIDGET = "sk-screens-widget";
const out = join(packageRoot(), "docs", "screenshots");

if (!existsSync(CHROMIUM)) {
  console.error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  process.exit(1);
}
if (!existsSync(join(packageRoot(), "dist", "console", "index.html"))) {
  console.error("the console is not built: run npm run build:console first");
  process.exit(1);
}
mkdirSync(out, { recursive: true });

const site = createServer((_req, res) => {
  res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
  res.end(`<!doctype html><html lang="en"><head><title>Lumio help centre</title></head><body style="font-family:sans-serif;margin:2rem">
<h1>Lumio help centre</h1><p>Setup guides, troubleshooting and warranty for the HomeHub 3.</p>
<script src="${api()}/widget.js" data-key="${WIDGET}" data-title="Lumio help" data-handoff-event async></script></body></html>`);
});
await new Promise<void>((r) => site.listen(0, "127.0.0.1", r));
const siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;

const dataDir = mkdtempSync(join(tmpdir(), "groundline-screens-"));
const server = await startServer(
  loadConfig({
    DATA_DIR: dataDir, HOST: "127.0.0.1", PORT: "0", LOG_LEVEL: "warn", INGEST_ON_START: "true", CORS_ORIGINS: siteUrl,
    API_KEYS: `admin:${ADMIN}:admin,widget:${WIDGET}:widget`,
  }),
  pino({ level: "warn" }),
);
function api(): string {
  return server.url;
}

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"] });
const shot = async (page: Page, name: string): Promise<void> => {
  await page.screenshot({ path: join(out, `${name}.png`), fullPage: false });
  console.log(`docs/screenshots/${name}.png`);
};
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  page.on("console", (m) => {
    if (m.type() === "error") console.error(`browser console: ${m.text()}`);
  });
  await page.goto(`${server.url}/console/`);
  await page.getByLabel("API key").waitFor();
  await shot(page, "sign-in");
  await page.getByLabel("API key").fill(ADMIN);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("link", { name: "Library" }).click();
  await page.locator("tbody tr").first().waitFor();
  await shot(page, "library");
  await page.getByRole("link", { name: "Lumio HomeHub 3 — User Manual" }).first().click();
  await page.getByText("Sections and chunks").waitFor();
  await shot(page, "document");
  await page.getByRole("link", { name: "Playground" }).click();
  await page.getByLabel("Question", { exact: true }).fill("Why is my hub blinking amber?");
  await page.getByRole("button", { name: "Ask", exact: true }).click();
  await page.locator(".answer").first().waitFor({ timeout: 30_000 });
  await page.locator("button.marker").first().click();
  // The cited chunk opened whole (GET /chunks/:id?chunk=), not only the snippet.
  await page.locator('aside.passage[data-whole="true"]').waitFor();
  await shot(page, "playground");
  await page.getByRole("link", { name: "Agent assist" }).click();
  await page.getByLabel("Customer thread").fill("Customer: My hub blinks amber since I changed my router and the app says offline.\nAgent: Did you update the Wi-Fi password in the app?\nCustomer: Yes, still offline. This is the third time I write, I want a human!");
  await page.getByRole("button", { name: "Suggest replies" }).click();
  await page.getByRole("region", { name: "Triage" }).waitFor({ timeout: 30_000 });
  await shot(page, "assist");
  await page.getByRole("link", { name: "Analytics" }).click();
  await page.locator("figure.chart canvas").first().waitFor();
  await shot(page, "analytics");
  // A curated answer (as the review queue's "Write answer" form sends it), its list, and the playground citing it.
  const curated = await fetch(`${server.url}/curated`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
    body: JSON.stringify({
      collection: "demo",
      question: "Can I mount the HomeHub 3 on a wall?",
      answer: "Yes. Mount the HomeHub 3 on a wall with the two screws of the wall bracket, at least 30 cm away from metal surfaces so that the Wi-Fi signal stays strong.",
    }),
  });
  if (curated.status !== 201) throw new Error(`POST /curated: ${curated.status} ${await curated.text()}`);
  await page.getByRole("link", { name: "Curated answers" }).click();
  await page.locator("table.curated-list tbody tr").first().waitFor();
  await shot(page, "curated");
  await page.getByRole("link", { name: "Playground" }).click();
  await page.getByLabel("Question", { exact: true }).fill("How do I mount the HomeHub 3 on the wall?");
  await page.getByRole("button", { name: "Ask", exact: true }).click();
  await page.locator(".badge.curated").first().waitFor({ timeout: 30_000 });
  await shot(page, "playground-curated");
  await page.getByLabel("Language").selectOption("zh");
  await page.getByRole("link", { name: "问答测试" }).click();
  await shot(page, "playground-zh");

  const help = await browser.newPage({ viewport: { width: 1100, height: 760 } });
  await help.goto(siteUrl);
  await help.getByRole("button", { name: "Open Lumio help chat" }).click();
  await help.getByLabel("Your question").fill("How do I factory reset the hub?");
  await help.getByLabel("Your question").press("Enter");
  await help.locator("li.bot[data-answer-id]").first().waitFor({ timeout: 30_000 });
  await shot(help, "widget");
} finally {
  await browser.close();
  await server.close();
  site.close();
  rmSync(dataDir, { recursive: true, force: true });
}
