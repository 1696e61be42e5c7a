import Database from "better-sqlite3";
import { SchemaVersionError } from "./sqlite-schema.js";

/** One schema step of a database; index i moves `user_version` i → i + 1. */
export type SqliteMigration = (db: Database.Database) => void;

/** How long an open waits for other processes' locks: SQLite's busy timeout, and the WAL switch's retries. */
const LOCK_WAIT_MS = 5000;

export interface SqliteOpenOptions {
  readonly?: boolean;
  fileMustExist?: boolean;
  foreignKeys?: boolean;
  /** FULL where a commit must survive power loss (accepted jobs); NORMAL (the default) elsewhere in WAL mode. */
  synchronous?: "NORMAL" | "FULL";
  /** Further per-connection pragmas (cache and mmap sizes), set before the journal mode. */
  pragmas?: readonly string[];
}

/**
 * Opens a database in DATA_DIR the way every process must, because several (APIs, workers, the CLI) open the same
 * files at once: busy timeout first, then WAL, switched with retries (see {@link switchToWal}). The connection is
 * closed when opening fails.
 */
export function openSqliteFile(file: string, options: SqliteOpenOptions = {}): Database.Database {
  const readonly = options.readonly ?? false;
  const db = new Database(file, { readonly, fileMustExist: options.fileMustExist ?? readonly });
  try {
    db.pragma(`busy_timeout = ${LOCK_WAIT_MS}`);
    if (options.foreignKeys) db.pragma("foreign_keys = ON");
    // Deleted rows must not linger in free pages: they may hold text written by mistake.
    db.pragma("secure_delete = ON");
    for (const pragma of options.pragmas ?? []) db.pragma(pragma);
    if (!readonly) {
      switchToWal(db);
      db.pragma(`synchronous = ${options.synchronous ?? "NORMAL"}`);
    }
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * Opens `file` (see {@link openSqliteFile}) and brings it to the latest of `migrations` (tracked in `user_version`)
 * in one immediate transaction, so two processes opening it at once migrate it once. A file from a newer build is
 * refused rather than touched. The connection is closed when opening fails.
 */
export function openMigratedSqlite<T>(file: string, migrations: readonly SqliteMigration[], wrap: (db: Database.Database) => T, options: SqliteOpenOptions = {}): T {
  const db = openSqliteFile(file, options);
  try {
    const found = Number(db.pragma("user_version", { simple: true }));
    if (found > migrations.length) throw new SchemaVersionError(file, found, migrations.length, "is newer than this build; upgrade the application");
    if (found < migrations.length) {
      db.transaction(() => {
        // Re-read under the write lock: another process may have migrated between the check and the transaction.
        for (let v = Number(db.pragma("user_version", { simple: true })); v < migrations.length; v++) migrations[v]?.(db);
        db.pragma(`user_version = ${migrations.length}`);
      }).immediate();
    }
    return wrap(db);
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * `journal_mode = WAL`, retried while another process holds the file's write lock. The first switch of a new file
 * writes its header, and SQLite answers a switch that finds the lock taken with SQLITE_BUSY at once, without waiting
 * out busy_timeout (it would upgrade a read lock, which SQLite never waits for): two processes opening a new
 * DATA_DIR together failed with "database is locked". Blocking is fine here: opening is synchronous anyway.
 */
function switchToWal(db: Database.Database): void {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (let pause = 2; ; pause = Math.min(pause * 2, 50)) {
    try {
      db.pragma("journal_mode = WAL");
      return;
    } catch (err) {
      if (!isBusy(err) || Date.now() >= deadline) throw err;
      // Jittered, so processes that collided do not retry in step.
      sleepSync(pause + Math.random() * pause);
    }
  }
}

function isBusy(err: unknown): boolean {
  return err instanceof Database.SqliteError && err.code.startsWith("SQLITE_BUSY");
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
