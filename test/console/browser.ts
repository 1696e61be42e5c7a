// Chromium for the end-to-end tests: Debian's /usr/bin/chromium driven by playwright-core (no downloaded browser).
// The tests skip, saying why, only when that binary is absent; .ci/run installs it, so CI always runs them.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { startSecServer, type SecServer } from "../security/harness.js";
import { packageRoot } from "../../src/package-root.js";

export const CHROMIUM = "/usr/bin/chromium";
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM) console.warn(`console end-to-end tests skipped: ${CHROMIUM} is absent (apt-get install -y chromium)`);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
}

/** A describe block's server (the security harness's keys, no seed) and browser; each page has its own context. */
export interface ConsoleHarness {
  readonly server: SecServer;
  /** A fresh browser context (its own sessionStorage), closed after the block. */
  newContext(): Promise<BrowserContext>;
  /** A page in a fresh browser context. */
  newPage(): Promise<Page>;
}

/**
 * Registers beforeAll/afterAll that start the server (with `env` over the harness's, e.g. `{ API_KEYS: "" }`) and
 * Chromium, then run `seed`, if given, and close them after the block.
 */
export function useConsoleHarness(seed?: (server: SecServer) => Promise<void>, env?: Record<string, string>): ConsoleHarness {
  let server: SecServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    ensureConsoleBuilt();
    server = await startSecServer({ seed: false, ...(env ? { env } : {}) });
    browser = await launchChromium();
    if (seed) await seed(server);
  }, 120_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  });
  return {
    get server(): SecServer {
      if (!server) throw new Error("the console harness is not started (use it inside the describe block's tests)");
      return server;
    },
    async newContext(): Promise<BrowserContext> {
      if (!browser) throw new Error("the console harness is not started");
      const context = await browser.newContext();
      contexts.push(context);
      return context;
    },
    async newPage(): Promise<Page> {
      return (await this.newContext()).newPage();
    },
  };
}

/** `npm test` builds the console before the tests; a run of these files alone builds it when it is missing. */
export function ensureConsoleBuilt(): void {
  if (existsSync(join(packageRoot(), "dist", "console", "index.html")) && existsSync(join(packageRoot(), "dist", "console", "widget.js"))) return;
  execFileSync("npm", ["run", "-s", "build:console"], { cwd: packageRoot(), stdio: "inherit" });
}

const axeSource = (): string => readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown }>;
}

/**
 * Runs axe-core (WCAG 2 A/AA rules and best practices) on the page as it is now; fails on any serious or critical
 * violation, naming the rule and the elements. Evaluated through the DevTools protocol, so the console's CSP stays on.
 */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  await page.evaluate(axeSource());
  const violations = (await page.evaluate(
    "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } }).then(r => r.violations)",
  )) as AxeViolation[];
  const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad.map((v) => `${v.impact} ${v.id}: ${v.help} at ${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))}`), `axe on ${what}`).toEqual([]);
}

/** A file as the page sees one: name, type and base64 bytes (crosses into the browser as JSON). */
export interface PageFile {
  name: string;
  type: string;
  b64: string;
}

export const pageFile = (name: string, type: string, bytes: Buffer | string): PageFile => ({ name, type, b64: Buffer.from(bytes).toString("base64") });

/** Drags `files` onto the element matching `selector`: dragenter/dragover/drop with a real DataTransfer, as a user's drop. */
export async function dropFiles(page: Page, selector: string, files: PageFile[]): Promise<void> {
  // A string, not a function: the test tsconfig has no DOM types, and this runs in the page.
  await page.evaluate(`(() => {
    const files = ${JSON.stringify(files)};
    const dt = new DataTransfer();
    for (const f of files) dt.items.add(new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name, { type: f.type }));
    const zone = document.querySelector(${JSON.stringify(selector)});
    if (!zone) throw new Error("no drop zone");
    for (const type of ["dragenter", "dragover", "drop"]) zone.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
  })()`);
}

/** Asks `question` on the open Playground and returns its turn once an answer (or an error) is shown. */
export async function askInPlayground(page: Page, question: string): Promise<ReturnType<Page["locator"]>> {
  // The conversation outlives the screen (kept above the router): right after clicking the Playground link the previous
  // screen may still be shown, so counting turns then gives 0 and nth(0) would be an old, already answered turn.
  // Count once the playground (its field and its restored turns, rendered together) is on screen.
  const field = page.getByLabel("Question", { exact: true });
  await field.waitFor();
  const before = await page.locator("article.turn").count();
  await field.fill(question);
  await page.getByRole("button", { name: "Ask", exact: true }).click();
  const turn = page.locator("article.turn").nth(before);
  await turn.locator(".question", { hasText: question }).waitFor();
  await turn.locator(".answer, .error").first().waitFor({ timeout: 20_000 });
  return turn;
}
