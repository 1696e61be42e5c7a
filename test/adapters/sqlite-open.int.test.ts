// Several processes open the same DATA_DIR databases at once (two APIs started together, a worker, the CLI). The first
// open of a new file switches it to WAL, which needs a write lock, and SQLite refuses that switch at once with
// SQLITE_BUSY instead of waiting out busy_timeout; these tests hold that lock in another process, as a concurrent
// opener does for an instant, and hold it long enough that an opener which does not wait for it always fails.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { openSqliteAnalytics } from "../../src/adapters/sqlite-analytics.js";
import { openSqliteCurated } from "../../src/adapters/sqlite-curated.js";
import { openJobsDatabase } from "../../src/adapters/sqlite-jobs-db.js";
import { openSqliteStore } from "../../src/adapters/sqlite-store.js";

const HOLD_MS = 400;
const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "sqlite-open-"));
  dirs.push(dir);
  return dir;
}

/**
 * Another process takes the write lock of `file` (a new, still rollback-journal file, as while it switches it to
 * WAL) and releases it after `ms`. Resolves once the lock is held, with the child's exit.
 */
function holdWriteLock(file: string, ms: number): Promise<{ exited: Promise<number | null> }> {
  const script = `const Database = require("better-sqlite3");
    const db = new Database(process.argv[1]);
    db.exec("BEGIN IMMEDIATE");
    process.stdout.write("held\\n");
    setTimeout(() => { db.exec("ROLLBACK"); db.close(); }, Number(process.argv[2]));`;
  const child = spawn(process.execPath, ["-e", script, file, String(ms)], { stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  return new Promise((resolve, reject) => {
    child.stdout.setEncoding("utf8").on("data", (d: string) => { if (d.includes("held")) resolve({ exited }); });
    void exited.then((code) => reject(new Error(`the lock holder exited (${code}) before taking the lock`)));
  });
}

function journalMode(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    return db.pragma("journal_mode", { simple: true }) as string;
  } finally {
    db.close();
  }
}

describe("opening a DATA_DIR database while another process holds its write lock", () => {
  const openers: Array<[string, string, (dir: string) => { close(): unknown }]> = [
    ["store.db", "store.db", (dir) => openSqliteStore(join(dir, "store.db"))],
    ["jobs.db", "jobs.db", (dir) => openJobsDatabase(dir)],
    ["analytics.db", "analytics.db", (dir) => openSqliteAnalytics(join(dir, "analytics.db"))],
    ["curated.db", "curated.db", (dir) => openSqliteCurated(join(dir, "curated.db"))],
  ];
  for (const [name, file, open] of openers) {
    it(`${name}: waits for the lock, then switches to WAL and migrates, instead of "database is locked"`, async () => {
      const dir = dataDir();
      const holder = await holdWriteLock(join(dir, file), HOLD_MS);
      const started = Date.now();
      const db = open(dir);
      const waited = Date.now() - started;
      await db.close();
      expect(await holder.exited).toBe(0);
      // It waited for the holder (not a lucky open after the lock was already gone).
      expect(waited).toBeGreaterThan(HOLD_MS / 4);
      expect(journalMode(join(dir, file))).toBe("wal");
    });
  }
});
