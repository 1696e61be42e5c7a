import type Database from "better-sqlite3";
import type { Lease } from "../ports/lease.js";

export const LEASE_SCHEMA = `
CREATE TABLE IF NOT EXISTS leases (
  name TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
`;

/**
 * Leases in a SQLite table (`leases`: name, holder, expires_at). Each operation is one statement (or one
 * IMMEDIATE transaction), so processes sharing the database file see a consistent holder. Times are the
 * processes' wall clocks: they share one machine (one DATA_DIR), so they agree.
 */
export class SqliteLease implements Lease {
  constructor(private readonly db: Database.Database) {
    db.exec(LEASE_SCHEMA);
  }

  acquire(name: string, holder: string, ttlMs: number): boolean {
    const now = Date.now();
    const changed = this.db
      .prepare(`INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
        ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
        WHERE leases.holder = excluded.holder OR leases.expires_at <= ?`)
      .run(name, holder, now + ttlMs, now).changes;
    return changed > 0;
  }

  renew(name: string, holder: string, ttlMs: number): boolean {
    const now = Date.now();
    return this.db.prepare("UPDATE leases SET expires_at = ? WHERE name = ? AND holder = ? AND expires_at > ?").run(now + ttlMs, name, holder, now).changes > 0;
  }

  release(name: string, holder: string): void {
    this.db.prepare("DELETE FROM leases WHERE name = ? AND holder = ?").run(name, holder);
  }

  holder(name: string): string | undefined {
    const row = this.db.prepare("SELECT holder FROM leases WHERE name = ? AND expires_at > ?").get(name, Date.now()) as { holder: string } | undefined;
    return row?.holder;
  }
}
