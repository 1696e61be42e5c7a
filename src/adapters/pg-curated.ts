import type pg from "pg";
import type { CuratedAnswer, CuratedAnswerWithVersions, CuratedVersion } from "../domain/curated.js";
import type { CuratedListQuery, CuratedStore, CuratedVersionInput } from "../ports/curated-store.js";
import { inTransaction } from "./pg-schema.js";
import { CURATED_LATEST, curatedRowToAnswer, curatedRowToVersion, type CuratedRow } from "./state-rows.js";

/**
 * Curated answers and their versions in PostgreSQL (`curated_versions`), the same rows as the SQLite store's. A new
 * version is numbered inside a transaction that first locks the answer's key (a transaction-scoped advisory lock), so
 * two machines revising one answer at once get versions n+1 and n+2, never a key conflict.
 */
export class PgCuratedStore implements CuratedStore {
  constructor(private readonly pool: pg.Pool) {}

  async addVersion(input: CuratedVersionInput, expectExisting: boolean): Promise<CuratedAnswer | undefined> {
    return inTransaction(this.pool, async (client) => {
      await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`curated:${JSON.stringify([input.collection, input.id])}`]);
      const { rows } = await client.query<{ v: number | null }>("SELECT max(version) AS v FROM curated_versions WHERE collection = $1 AND id = $2",
        [input.collection, input.id]);
      const current = rows[0]?.v ?? null;
      if (expectExisting && current === null) return undefined;
      await client.query(`INSERT INTO curated_versions (collection, id, version, question, answer, author, proposed_by, created_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [input.collection, input.id, (current ?? 0) + 1, input.question, input.answer, input.author, input.proposedBy ?? null, input.at]);
      return latestOf(client, input.collection, input.id);
    });
  }

  async get(collection: string, id: string): Promise<CuratedAnswerWithVersions | undefined> {
    const latest = await latestOf(this.pool, collection, id);
    if (!latest) return undefined;
    const { rows } = await this.pool.query<CuratedRow>("SELECT * FROM curated_versions WHERE collection = $1 AND id = $2 ORDER BY version", [collection, id]);
    const versions: CuratedVersion[] = rows.map(curatedRowToVersion);
    return { ...latest, versions };
  }

  async list(query: CuratedListQuery = {}): Promise<{ items: CuratedAnswer[]; total: number }> {
    const scoped = query.collections !== undefined;
    const where = scoped ? " AND v.collection = ANY($1::text[])" : "";
    const params: unknown[] = scoped ? [query.collections] : [];
    const n = params.length;
    const { rows: count } = await this.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${CURATED_LATEST}${where}) latest`, params);
    const { rows } = await this.pool.query<CuratedRow>(`${CURATED_LATEST}${where} ORDER BY v.created_at DESC, v.id LIMIT $${n + 1} OFFSET $${n + 2}`,
      [...params, query.limit ?? 100, query.offset ?? 0]);
    return { items: rows.map(curatedRowToAnswer), total: count[0]?.n ?? 0 };
  }

  async latest(ids: readonly string[]): Promise<Map<string, CuratedAnswer>> {
    const out = new Map<string, CuratedAnswer>();
    if (ids.length === 0) return out;
    const { rows } = await this.pool.query<CuratedRow>(`${CURATED_LATEST} AND v.id = ANY($1::text[])`, [ids]);
    for (const r of rows) out.set(r.id, curatedRowToAnswer(r));
    return out;
  }

  async remove(collection: string, id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query("DELETE FROM curated_versions WHERE collection = $1 AND id = $2", [collection, id]);
    return (rowCount ?? 0) > 0;
  }

  /** The pool belongs to the store that opened it. */
  close(): void {}
}

async function latestOf(db: pg.Pool | pg.PoolClient, collection: string, id: string): Promise<CuratedAnswer | undefined> {
  const { rows } = await db.query<CuratedRow>(`${CURATED_LATEST} AND v.collection = $1 AND v.id = $2`, [collection, id]);
  return rows[0] ? curatedRowToAnswer(rows[0]) : undefined;
}
