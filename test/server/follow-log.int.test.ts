// Serving processes on other machines follow the PostgreSQL change log by LISTEN/NOTIFY: a commit through engine A
// reaches engine B's indexes long before B's poll would, and the LISTEN connection comes back after an outage.
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { ingestPaths } from "../../ingest/ingest-files.js";
import { catchUpInSlices } from "../../ingest/sandbox/yield.js";
import { followChangeLog } from "../../src/server/follow-log.js";
import { openTestEngine } from "../support/temp-engine.js";
import { startTcpProxy } from "../support/tcp-proxy.js";
import { dropSchema } from "../ports/pg-harness.js";

const POLL_NEVER_MS = 3_600_000;

async function until(fn: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<number> {
  const start = Date.now();
  while (!(await fn())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return Date.now() - start;
}

describe("following the PostgreSQL change log across machines", () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it("a notice brings B's indexes to A's commit without polling, also after B's connection was cut and restored", async () => {
    const schema = `gl_test_${process.pid}_${randomBytes(6).toString("hex")}`;
    cleanups.push(() => dropSchema(schema));
    const proxy = await startTcpProxy(5432);
    cleanups.push(() => proxy.close());
    const base = { DATABASE_SCHEMA: schema, REDIS_URL: "redis://127.0.0.1:6379", API_PROCESSES: "1" };
    const a = await openTestEngine({ ...base, DATABASE_URL: "postgres://postgres@127.0.0.1:5432/postgres" });
    cleanups.push(a.cleanup);
    // B reaches PostgreSQL only through the proxy: its pool and its LISTEN connection both go down with a cut.
    const b = await openTestEngine({ ...base, DATABASE_URL: `postgres://postgres@127.0.0.1:${proxy.port}/postgres` });
    cleanups.push(b.cleanup);
    const follow = followChangeLog({
      indexes: b.engine.indexes, catchUp: (i) => catchUpInSlices(i), afterCatchUp: async () => undefined,
      ...(b.engine.changeNotices ? { notices: b.engine.changeNotices } : {}), intervalMs: POLL_NEVER_MS, logger: pino({ level: "silent" }),
    });
    cleanups.push(() => follow.close());
    await until(() => follow.listening === true, 5000, "LISTEN");

    const dir = join(a.config.DATA_DIR, "src");
    mkdirSync(dir, { recursive: true });
    const ingest = async (name: string): Promise<void> => {
      writeFileSync(join(dir, name), `# ${name}\n\nHold the reset button of ${name} for ten seconds.\n`);
      await ingestPaths({ store: a.engine.store, embedder: a.engine.embedder }, [join(dir, name)], { settings: a.engine.ingestSettings(), maxBytes: 1e6 });
    };
    await ingest("one.md");
    const last = await a.engine.changes.lastSeq();
    expect(last).toBeGreaterThan(0);
    const delay = await until(() => b.engine.indexes.position >= last, 3000, "B to apply A's commit");
    expect(delay).toBeLessThan(3000);

    proxy.cut();
    await until(() => follow.listening === false, 5000, "B to notice the cut");
    await ingest("two.md");
    const during = await a.engine.changes.lastSeq();
    expect(b.engine.indexes.position).toBeLessThan(during);
    proxy.restore();
    // Re-established LISTEN catches up with what was committed while nobody listened (no notice for it arrives again).
    await until(() => b.engine.indexes.position >= during, 10_000, "B to catch up after the outage");
    await ingest("three.md");
    const after = await a.engine.changes.lastSeq();
    await until(() => b.engine.indexes.position >= after, 3000, "B to follow notices again");
  }, 40_000);
});
