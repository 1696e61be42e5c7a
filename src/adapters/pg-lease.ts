import type pg from "pg";
import type { SharedLease } from "../ports/lease.js";

/**
 * Leases in PostgreSQL (`leases`), shared by the processes of every machine (the first-start lease). Each operation is
 * one statement; expiry is judged by the database's clock (`clock_timestamp()`), so machines whose clocks differ agree.
 */
export class PgLease implements SharedLease {
  constructor(private readonly pool: pg.Pool) {}

  async acquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(`INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, clock_timestamp() + $3 * interval '1 millisecond')
      ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
      WHERE leases.holder = excluded.holder OR leases.expires_at <= clock_timestamp()`, [name, holder, ttlMs]);
    return (rowCount ?? 0) > 0;
  }

  async renew(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(`UPDATE leases SET expires_at = clock_timestamp() + $3 * interval '1 millisecond'
      WHERE name = $1 AND holder = $2 AND expires_at > clock_timestamp()`, [name, holder, ttlMs]);
    return (rowCount ?? 0) > 0;
  }

  async release(name: string, holder: string): Promise<void> {
    await this.pool.query("DELETE FROM leases WHERE name = $1 AND holder = $2", [name, holder]);
  }

  async holder(name: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ holder: string }>("SELECT holder FROM leases WHERE name = $1 AND expires_at > clock_timestamp()", [name]);
    return rows[0]?.holder;
  }
}
