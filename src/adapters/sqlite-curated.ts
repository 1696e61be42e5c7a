import Database from "better-sqlite3";
import type { CuratedAnswer, CuratedAnswerWithVersions, CuratedVersion } from "../domain/curated.js";
import { CURATED_LATEST, curatedRowToAnswer, curatedRowToVersion, type CuratedRow } from "./state-rows.js";
import type { CuratedListQuery, CuratedStore, CuratedVersionInput } from "../ports/curated-store.js";
import { openMigratedSqlite } from "./sqlite-open.js";

type Db = Database.Database;

/** Migration N brings the schema from version N-1 to N. Never edit a shipped one. */
const MIGRATIONS: ReadonlyArray<(db: Db) => void> = [
  (db) => {
    db.exec(`
      CREATE TABLE curated_versions (
        collection TEXT NOT NULL,
        id TEXT NOT NULL,
        version INTEGER NOT NULL CHECK (version >= 1),
        question TEXT NOT NULL,
        answer TEXT NOT NULL,
        author TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (collection, id, version)
      );
      CREATE INDEX curated_versions_id ON curated_versions (id);
    `);
  },
  (db) => {
    // Who proposed a version's text (an accepted /feedback correction); NULL for a version written directly.
    db.exec("ALTER TABLE curated_versions ADD COLUMN proposed_by TEXT");
  },
];

/** Curated answers and their versions in their own SQLite file (DATA_DIR/curated.db), one transaction per write. */
export class SqliteCuratedStore implements CuratedStore {
  constructor(private readonly db: Db) {}

  async addVersion(input: CuratedVersionInput, expectExisting: boolean): Promise<CuratedAnswer | undefined> {
    return this.db.transaction((): CuratedAnswer | undefined => {
      const current = this.db.prepare("SELECT max(version) AS v FROM curated_versions WHERE collection = ? AND id = ?").get(input.collection, input.id) as { v: number | null };
      if (expectExisting && current.v === null) return undefined;
      this.db
        .prepare("INSERT INTO curated_versions (collection, id, version, question, answer, author, proposed_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .run(input.collection, input.id, (current.v ?? 0) + 1, input.question, input.answer, input.author, input.proposedBy ?? null, input.at);
      return this.latestOf(input.collection, input.id);
    }).immediate();
  }

  async get(collection: string, id: string): Promise<CuratedAnswerWithVersions | undefined> {
    const latest = this.latestOf(collection, id);
    if (!latest) return undefined;
    const rows = this.db.prepare("SELECT * FROM curated_versions WHERE collection = ? AND id = ? ORDER BY version").all(collection, id) as CuratedRow[];
    const versions: CuratedVersion[] = rows.map(curatedRowToVersion);
    return { ...latest, versions };
  }

  async list(query: CuratedListQuery = {}): Promise<{ items: CuratedAnswer[]; total: number }> {
    const scoped = query.collections !== undefined;
    const where = scoped ? " AND v.collection IN (SELECT value FROM json_each(?))" : "";
    const params = scoped ? [JSON.stringify(query.collections)] : [];
    const total = (this.db.prepare(`SELECT count(*) AS n FROM (${CURATED_LATEST}${where})`).get(...params) as { n: number }).n;
    const rows = this.db
      .prepare(`${CURATED_LATEST}${where} ORDER BY v.created_at DESC, v.id LIMIT ? OFFSET ?`)
      .all(...params, query.limit ?? 100, query.offset ?? 0) as CuratedRow[];
    return { items: rows.map(curatedRowToAnswer), total };
  }

  async latest(ids: readonly string[]): Promise<Map<string, CuratedAnswer>> {
    const out = new Map<string, CuratedAnswer>();
    if (ids.length === 0) return out;
    const rows = this.db.prepare(`${CURATED_LATEST} AND v.id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(ids)) as CuratedRow[];
    for (const r of rows) out.set(r.id, curatedRowToAnswer(r));
    return out;
  }

  async remove(collection: string, id: string): Promise<boolean> {
    return this.db.prepare("DELETE FROM curated_versions WHERE collection = ? AND id = ?").run(collection, id).changes > 0;
  }

  close(): void {
    this.db.close();
  }

  private latestOf(collection: string, id: string): CuratedAnswer | undefined {
    const row = this.db.prepare(`${CURATED_LATEST} AND v.collection = ? AND v.id = ?`).get(collection, id) as CuratedRow | undefined;
    return row ? curatedRowToAnswer(row) : undefined;
  }
}

/** Opens (creating or migrating) the curated answers database at `file`. */
export function openSqliteCurated(file: string): SqliteCuratedStore {
  return openMigratedSqlite(file, MIGRATIONS, (db) => new SqliteCuratedStore(db));
}
