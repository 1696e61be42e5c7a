import type pg from "pg";
import type { ChunkFilter } from "../domain/chunk.js";
import type { AuditEntry, AuditQuery, DocumentListQuery } from "../ports/document-repository.js";
import { poolQuery } from "./pg-schema.js";
import { scriptFamilySql } from "./script-family-sql.js";

/** Where-clause over `documents` for a listing query ($1…$n). */
export function pgDocumentFilter(q: DocumentListQuery): { where: string; params: Array<string | string[]> } {
  const clauses: string[] = [];
  const params: Array<string | string[]> = [];
  const add = <V extends string | string[]>(sql: (p: string) => string, value: V | undefined): void => {
    if (value !== undefined) { params.push(value); clauses.push(sql(`$${params.length}`)); }
  };
  add((p) => `id = ${p}`, q.id);
  add((p) => `collection = ${p}`, q.collection);
  add((p) => `collection = ANY(${p}::text[])`, q.collections ? [...q.collections] : undefined);
  add((p) => `status = ${p}`, q.status);
  add((p) => `source_type = ${p}`, q.sourceType);
  add((p) => `starts_with(source_path, ${p})`, q.sourcePathPrefix || undefined);
  add((p) => `strpos(lower(title), lower(${p})) > 0`, q.titleContains || undefined);
  return { where: clauses.length ? `WHERE ${clauses.join(" AND ")}` : "", params };
}

const FILTER_COLUMNS: ReadonlyArray<readonly [Exclude<keyof ChunkFilter, "ticketCollections" | "collections" | "scriptFamily">, string]> = [
  ["sourceTypes", "source_type"], ["products", "product"], ["languages", "language"], ["documentIds", "document_id"],
];

/**
 * Where-clauses over `chunks` (as `alias`) for the filter fields other than collections (those scope the statistics
 * and are applied by the caller); parameters are numbered from `first`. An empty list constrains nothing, except
 * ticketCollections, where it keeps no ticket chunk at all.
 */
export function pgChunkFilter(filter: ChunkFilter | undefined, alias: string, first: number): { clauses: string[]; params: string[][] } {
  const clauses: string[] = [];
  const params: string[][] = [];
  const bind = (values: readonly string[]): string => { params.push([...values]); return `$${first + params.length - 1}::text[]`; };
  for (const [key, column] of FILTER_COLUMNS) {
    const values = filter?.[key];
    if (values && values.length > 0) clauses.push(`${alias}.${column} = ANY(${bind(values)})`);
  }
  const tickets = filter?.ticketCollections;
  if (tickets) clauses.push(`(${alias}.source_type <> 'ticket' OR ${alias}.collection = ANY(${bind(tickets)}))`);
  if (filter?.scriptFamily) clauses.push(scriptFamilySql(`${alias}.language`, filter.scriptFamily));
  return { clauses, params };
}

interface AuditRow {
  at: string; key_name: string; action: AuditEntry["action"]; collection: string; document_id: string; request_id: string | null; count: number | null;
}

/** Audit entries newest first, optionally only of some collections. */
export async function selectPgAudit(pool: pg.Pool, q: AuditQuery = {}): Promise<AuditEntry[]> {
  const limit = Math.max(1, Math.min(q.limit ?? 100, 1000));
  const { rows } = q.collections
    ? await poolQuery<AuditRow>(pool, "SELECT * FROM audit WHERE collection = ANY($1::text[]) ORDER BY seq DESC LIMIT $2", [q.collections, limit])
    : await poolQuery<AuditRow>(pool, "SELECT * FROM audit ORDER BY seq DESC LIMIT $1", [limit]);
  return rows.map((r) => ({
    at: r.at, keyName: r.key_name, action: r.action, collection: r.collection, documentId: r.document_id,
    ...(r.request_id !== null ? { requestId: r.request_id } : {}),
    ...(r.count !== null ? { count: r.count } : {}),
  }));
}
