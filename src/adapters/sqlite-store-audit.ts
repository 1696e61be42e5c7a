import type Database from "better-sqlite3";
import type { AuditEntry, AuditQuery } from "../ports/document-repository.js";

/** The store's cached prepared-statement lookup. */
type Stmt = (sql: string) => Database.Statement;

interface AuditRow {
  at: string;
  key_name: string;
  action: AuditEntry["action"];
  collection: string;
  document_id: string;
  request_id: string | null;
  count: number | null;
}

/** Appends one entry to the `audit` table (schema version 5). */
export function insertAudit(stmt: Stmt, e: AuditEntry): void {
  stmt("INSERT INTO audit (at, key_name, action, collection, document_id, request_id, count) VALUES (?, ?, ?, ?, ?, ?, ?)")
    .run(e.at, e.keyName, e.action, e.collection, e.documentId, e.requestId ?? null, e.count ?? null);
}

/** Audit entries newest first, optionally only of some collections. */
export function selectAudit(stmt: Stmt, q: AuditQuery = {}): AuditEntry[] {
  const limit = Math.max(1, Math.min(q.limit ?? 100, 1000));
  const rows = (q.collections
    ? stmt("SELECT * FROM audit WHERE collection IN (SELECT value FROM json_each(?)) ORDER BY seq DESC LIMIT ?").all(JSON.stringify(q.collections), limit)
    : stmt("SELECT * FROM audit ORDER BY seq DESC LIMIT ?").all(limit)) as AuditRow[];
  return rows.map((r) => ({
    at: r.at, keyName: r.key_name, action: r.action, collection: r.collection, documentId: r.document_id,
    ...(r.request_id !== null ? { requestId: r.request_id } : {}),
    ...(r.count !== null ? { count: r.count } : {}),
  }));
}
