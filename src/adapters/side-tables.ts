import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type Database from "better-sqlite3";
import type pg from "pg";
import { openSqliteAnalytics } from "./sqlite-analytics.js";
import { openJobsDatabase } from "./sqlite-jobs-db.js";
import { openSqliteFile } from "./sqlite-open.js";
import { ID_SECRET_KEY } from "./pg-state.js";
import { inTransaction } from "./pg-schema.js";

/** The analytics and job-ledger rows as `migrate-store` copies them (same columns in both engines). */
export interface SideRows {
  served: Array<{ id: string; kind: string; question: string; outcome: string; confidence: number; language: string | null;
    key_name: string | null; created_at: string; collections: string[] | null; answer: string | null }>;
  citations: Array<{ served_id: string; document_id: string }>;
  /** In the order they were given; a correction with its review (the proposal, whose id is kept). */
  feedback: Array<{ id: number; answer_id: string; rating: string; comment: string | null; corrected_answer: string | null; key_name: string | null; created_at: string;
    review_state: string | null; reviewed_by: string | null; reviewed_at: string | null; curated_id: string | null }>;
  /** The document store's audit log, oldest first. */
  audit: Array<{ at: string; key_name: string; action: string; collection: string; document_id: string; request_id: string | null; count: number | null }>;
  ledger: Array<{ id: string; collection: string; document_id: string; file_name: string; upload_path: string; data: string; state: string;
    result: string | null; error: string | null; created_at: number; finished_at: number | null }>;
}

/**
 * The tables of an installation that no port lists in full (analytics, job ledger) and the document-id key, read and
 * written raw for `npm run migrate-store`: SQLite files in DATA_DIR, or the PostgreSQL schema.
 */
export interface SideTables {
  read(): Promise<SideRows>;
  /** Removes every analytics and ledger row (`--force` over a non-empty target). */
  clear(): Promise<void>;
  write(rows: SideRows): Promise<void>;
  idSecret(): Promise<string | undefined>;
  setIdSecret(secret: string): Promise<void>;
  close(): void;
}

const AUDIT_COLUMNS = "at, key_name, action, collection, document_id, request_id, count";
const SERVED_COLUMNS = "id, kind, question, outcome, confidence, language, key_name, created_at, collections, answer";
const FEEDBACK_FIELDS = "answer_id, rating, comment, corrected_answer, key_name, created_at, review_state, reviewed_by, reviewed_at, curated_id";
const FEEDBACK_COLUMNS = `id, ${FEEDBACK_FIELDS}`;
const LEDGER_COLUMNS = "id, collection, document_id, file_name, upload_path, data, state, result, error, created_at, finished_at";

export function sqliteSideTables(dataDir: string): SideTables {
  const file = join(dataDir, "analytics.db");
  openSqliteAnalytics(file).close(); // creates or migrates it
  const analytics = openSqliteFile(file, { foreignKeys: true });
  const jobs = openJobsDatabase(dataDir); // with the ledger table
  const secretFile = join(dataDir, "secret");
  // The audit log is the document store's (store.db, opened and migrated by the store before this).
  const store = openSqliteFile(join(dataDir, "store.db"), { fileMustExist: true });
  return {
    read: async () => ({
      served: (analytics.prepare(`SELECT ${SERVED_COLUMNS} FROM served ORDER BY id`).all() as Array<SideRows["served"][number] & { collections: string | null }>)
        .map((r) => ({ ...r, collections: r.collections === null ? null : (JSON.parse(r.collections) as string[]) })),
      citations: analytics.prepare("SELECT served_id, document_id FROM served_citations ORDER BY served_id, document_id").all() as SideRows["citations"],
      feedback: analytics.prepare(`SELECT ${FEEDBACK_COLUMNS} FROM feedback ORDER BY id`).all() as SideRows["feedback"],
      ledger: jobs.prepare(`SELECT ${LEDGER_COLUMNS} FROM job_ledger ORDER BY created_at, id`).all() as SideRows["ledger"],
      audit: store.prepare(`SELECT ${AUDIT_COLUMNS} FROM audit ORDER BY seq`).all() as SideRows["audit"],
    }),
    clear: async () => {
      analytics.transaction(() => analytics.exec("DELETE FROM feedback; DELETE FROM served_citations; DELETE FROM served;"))();
      jobs.exec("DELETE FROM job_ledger");
      store.exec("DELETE FROM audit");
    },
    write: async (rows) => writeSqliteRows({ analytics, jobs, store }, rows),
    idSecret: async () => (existsSync(secretFile) ? readFileSync(secretFile, "utf8").trim() : undefined),
    setIdSecret: async (secret) => {
      const tmp = `${secretFile}.${process.pid}.tmp`;
      writeFileSync(tmp, `${secret}\n`, { mode: 0o600 });
      renameSync(tmp, secretFile);
    },
    close: () => {
      analytics.close();
      jobs.close();
      store.close();
    },
  };
}

/** Inserts copied rows into the SQLite files, one transaction per file. */
function writeSqliteRows(db: { analytics: Database.Database; jobs: Database.Database; store: Database.Database }, rows: SideRows): void {
  db.analytics.transaction(() => {
    const served = db.analytics.prepare(`INSERT INTO served (${SERVED_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    for (const r of rows.served) {
      served.run(r.id, r.kind, r.question, r.outcome, r.confidence, r.language, r.key_name, r.created_at, r.collections ? JSON.stringify(r.collections) : null, r.answer);
    }
    const cite = db.analytics.prepare("INSERT INTO served_citations (served_id, document_id) VALUES (?, ?)");
    for (const c of rows.citations) cite.run(c.served_id, c.document_id);
    const fb = db.analytics.prepare(`INSERT INTO feedback (${FEEDBACK_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    for (const f of rows.feedback) {
      fb.run(f.id, f.answer_id, f.rating, f.comment, f.corrected_answer, f.key_name, f.created_at, f.review_state, f.reviewed_by, f.reviewed_at, f.curated_id);
    }
  })();
  db.jobs.transaction(() => {
    const put = db.jobs.prepare(`INSERT INTO job_ledger (${LEDGER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    for (const l of rows.ledger) put.run(l.id, l.collection, l.document_id, l.file_name, l.upload_path, l.data, l.state, l.result, l.error, l.created_at, l.finished_at);
  })();
  db.store.transaction(() => {
    const put = db.store.prepare(`INSERT INTO audit (${AUDIT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`);
    for (const a of rows.audit) put.run(a.at, a.key_name, a.action, a.collection, a.document_id, a.request_id, a.count);
  })();
}

export function pgSideTables(pool: pg.Pool): SideTables {
  return {
    read: async () => ({
      served: (await pool.query<SideRows["served"][number]>(`SELECT ${SERVED_COLUMNS} FROM served ORDER BY id`)).rows,
      citations: (await pool.query<SideRows["citations"][number]>("SELECT served_id, document_id FROM served_citations ORDER BY served_id, document_id")).rows,
      feedback: (await pool.query<SideRows["feedback"][number]>(`SELECT id::float8 AS id, ${FEEDBACK_FIELDS} FROM feedback ORDER BY id`)).rows,
      ledger: (await pool.query<SideRows["ledger"][number]>(`SELECT id, collection, document_id, file_name, upload_path, data, state, result, error,
        created_at::float8 AS created_at, finished_at::float8 AS finished_at FROM job_ledger ORDER BY created_at, id`)).rows,
      audit: (await pool.query<SideRows["audit"][number]>(`SELECT ${AUDIT_COLUMNS} FROM audit ORDER BY seq`)).rows,
    }),
    clear: async () => {
      await pool.query("DELETE FROM feedback; DELETE FROM served_citations; DELETE FROM served; DELETE FROM job_ledger; DELETE FROM audit;");
    },
    write: (rows) => inTransaction(pool, async (client) => {
      for (const r of rows.served) {
        await client.query(`INSERT INTO served (${SERVED_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [r.id, r.kind, r.question, r.outcome, r.confidence, r.language, r.key_name, r.created_at, r.collections, r.answer]);
      }
      for (const c of rows.citations) await client.query("INSERT INTO served_citations (served_id, document_id) VALUES ($1, $2)", [c.served_id, c.document_id]);
      for (const f of rows.feedback) {
        await client.query(`INSERT INTO feedback (${FEEDBACK_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          [f.id, f.answer_id, f.rating, f.comment, f.corrected_answer, f.key_name, f.created_at, f.review_state, f.reviewed_by, f.reviewed_at, f.curated_id]);
      }
      // Ids were copied (a proposal keeps its id): the next one must follow them.
      await client.query("SELECT setval(pg_get_serial_sequence('feedback', 'id'), coalesce(max(id), 1), max(id) IS NOT NULL) FROM feedback");
      for (const l of rows.ledger) {
        await client.query(`INSERT INTO job_ledger (${LEDGER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          [l.id, l.collection, l.document_id, l.file_name, l.upload_path, l.data, l.state, l.result, l.error, l.created_at, l.finished_at]);
      }
      for (const a of rows.audit) {
        await client.query(`INSERT INTO audit (${AUDIT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [a.at, a.key_name, a.action, a.collection, a.document_id, a.request_id, a.count]);
      }
    }),
    idSecret: async () => (await pool.query<{ value: string }>("SELECT value FROM meta WHERE key = $1", [ID_SECRET_KEY])).rows[0]?.value,
    setIdSecret: async (secret) => {
      await pool.query("INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [ID_SECRET_KEY, secret]);
    },
    close: () => undefined,
  };
}
