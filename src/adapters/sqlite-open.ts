import Database from "better-sqlite3";
import { SchemaVersionError } from "./sqlite-schema.js";

/** One schema step of a small side database (analytics, curated answers); index i moves `user_version` i → i + 1. */
export type SqliteMigration = (db: Database.Database) => void;

/**
 * Opens a side database at `file` with the pragmas every one of them wants, and brings it to the latest of
 * `migrations` (tracked in `user_version`) in one immediate transaction, so two processes opening it at once migrate it
 * once. A file from a newer build is refused rather than touched. The connection is closed when opening fails.
 */
export function openMigratedSqlite<T>(file: string, migrations: readonly SqliteMigration[], wrap: (db: Database.Database) => T, options: { foreignKeys?: boolean } = {}): T {
  const db = new Database(file);
  try {
    db.pragma("busy_timeout = 5000");
    if (options.foreignKeys) db.pragma("foreign_keys = ON");
    // Deleted rows must not linger in free pages: they may hold text written by mistake.
    db.pragma("secure_delete = ON");
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
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
