import { afterEach } from "vitest";
import { mkdirSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { Writable } from "node:stream";
import { pino, type Logger } from "pino";
import { createAnswering, type Answering } from "../../src/container.js";
import type { ChangeLog } from "../../src/ports/change-log.js";
import type { DocumentRepository } from "../../src/ports/document-repository.js";
import { createApp, type AppDeps, type HttpLimits } from "../../src/http/create-app.js";
import { parseApiKeys } from "../../src/http/middleware/auth.js";
import { ingestPaths } from "../../ingest/ingest-files.js";
import { openTestEngine } from "../support/temp-engine.js";
import { FakeJobQueue, FakeUploadStore } from "./fakes.js";

/** A small support manual; the questions in the tests are answered from it. */
export const WIDGET_MANUAL = `# Widget Manual

## Power

Press and hold the power button for three seconds to turn the widget on. The LED turns green when it is ready.

## Factory reset

1. Unplug the widget.
2. Hold the reset pin for ten seconds.
3. Plug it back in and wait for the blue LED.

## Wi-Fi

The widget connects to 2.4 GHz Wi-Fi networks only. Open the app, choose Add device and enter the network password.
`;

export const DEFAULT_LIMITS: HttpLimits = {
  maxBodyBytes: 64 * 1024,
  maxFileBytes: 256 * 1024,
  requestTimeoutMs: 10_000,
  rateLimitPerMinute: 0,
  maxConcurrentAnswers: 4,
};

export interface TestApp {
  app: ReturnType<typeof createApp>;
  deps: AppDeps;
  queue: FakeJobQueue;
  uploads: FakeUploadStore;
  store: DocumentRepository;
  /** The store's change log (what a write would append to). */
  changes: ChangeLog;
  /** The engine under the app (for ingesting more files into it). */
  engine: Awaited<ReturnType<typeof openTestEngine>>;
  logs: string[];
  cleanup: () => Promise<void>;
}

export interface TestAppOptions {
  apiKeys?: string;
  limits?: Partial<HttpLimits>;
  /** Replace the real answering (slow or failing answers). */
  answering?: (real: Answering) => Answering;
  overrides?: Partial<AppDeps>;
}

/** A logger writing JSON lines into `logs`, so tests can check what is (and is not) logged. */
export function captureLogger(): { logger: Logger; logs: string[] } {
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(chunk.toString("utf8"));
      cb();
    },
  });
  return { logger: pino({ level: "info" }, stream), logs };
}

/** createApp over a real engine (temp DATA_DIR) with the widget manual ingested, and fake queue/uploads. */
/**
 * Registers an afterEach that cleans up every app made through the returned `setup` (one line per test file
 * instead of the same bookkeeping in each).
 */
export function useTestApps(): (options?: TestAppOptions) => Promise<TestApp> {
  let cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.reverse()) await c();
    cleanups = [];
  });
  return async (options = {}) => {
    const t = await makeTestApp(options);
    cleanups.push(t.cleanup);
    return t;
  };
}

export async function makeTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const t = await openTestEngine();
  const docsDir = join(t.config.DATA_DIR, "docs-src", "manual");
  mkdirSync(docsDir, { recursive: true });
  writeFileSync(join(docsDir, "widget.md"), WIDGET_MANUAL);
  await ingestPaths({ store: t.engine.store, embedder: t.engine.embedder }, [join(t.config.DATA_DIR, "docs-src")], {
    settings: t.engine.ingestSettings(),
    maxBytes: t.config.MAX_FILE_BYTES,
  });
  await t.engine.indexes.catchUp();
  const real = await createAnswering(t.engine);
  const queue = new FakeJobQueue();
  const uploads = new FakeUploadStore();
  const { logger, logs } = captureLogger();
  const deps = appDeps(options.answering ? options.answering(real) : real, t.engine.store, {
    queue,
    uploads,
    logger,
    auth: parseApiKeys(options.apiKeys),
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    readiness: async () => ({ store: true, queue: true }),
    ...options.overrides,
  });
  return { app: createApp(deps), deps, queue, uploads, store: t.engine.store, changes: t.engine.changes, engine: t, logs, cleanup: t.cleanup };
}

/** App dependencies over a real answering and store, with fake queue and uploads, no keys and default limits. */
export function appDeps(answering: AppDeps["answering"], store: AppDeps["store"], overrides: Partial<AppDeps> = {}): AppDeps {
  return {
    answering,
    store,
    queue: new FakeJobQueue(),
    uploads: new FakeUploadStore(),
    logger: captureLogger().logger,
    auth: [],
    limits: DEFAULT_LIMITS,
    readiness: async () => ({ store: true }),
    defaultCollection: "default",
    ...overrides,
  };
}

/** Listens on an ephemeral port on 127.0.0.1; returns the base URL and a close function. */
export async function listen(app: TestApp["app"]): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
