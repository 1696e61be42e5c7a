import { randomBytes } from "node:crypto";
import type pg from "pg";
import type { SharedState } from "../ports/shared-state.js";
import { PgAnalyticsStore } from "./pg-analytics.js";
import { PgCuratedStore } from "./pg-curated.js";
import { PgJobLedger } from "./pg-job-ledger.js";
import { PgLease } from "./pg-lease.js";
import { PgUploadStore } from "./pg-upload-store.js";

/**
 * The shared state in the PostgreSQL store's schema, on the store's pool (its migrations created the tables). The
 * pool belongs to the store, so closing these closes nothing.
 */
export function pgSharedState(pool: pg.Pool, scratchDir: string, maxUploadBytes: number): SharedState {
  return {
    backend: "postgres",
    uploads: new PgUploadStore(pool, scratchDir, maxUploadBytes),
    openLedger: () => ({ ledger: new PgJobLedger(pool), close: () => undefined }),
    openCurated: () => new PgCuratedStore(pool),
    openAnalytics: () => new PgAnalyticsStore(pool),
    firstStartLease: new PgLease(pool),
  };
}

/** Key of the document-id HMAC secret in `meta`: ids must hash the same on every machine. */
export const ID_SECRET_KEY = "id_hmac_secret";

/**
 * The document-id HMAC key kept in the store (generated once; the first writer wins, every machine reads the same
 * one), for when ID_HMAC_SECRET is not configured.
 */
export async function pgIdSecret(pool: pg.Pool): Promise<string> {
  await pool.query("INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING", [ID_SECRET_KEY, randomBytes(32).toString("hex")]);
  const { rows } = await pool.query<{ value: string }>("SELECT value FROM meta WHERE key = $1", [ID_SECRET_KEY]);
  return rows[0]!.value;
}
