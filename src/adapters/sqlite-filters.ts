import type { ChunkFilter } from "../domain/chunk.js";
import type { DocumentListQuery } from "../ports/document-repository.js";
import { scriptFamilySql } from "./script-family-sql.js";
import type { FilterRow } from "./store-rows.js";

const FILTER_COLUMNS: ReadonlyArray<readonly [Exclude<keyof ChunkFilter, "ticketCollections" | "scriptFamily">, string]> = [
  ["collections", "collection"], ["sourceTypes", "source_type"], ["products", "product"], ["languages", "language"], ["documentIds", "document_id"],
];

/** Where-clause over `chunks` for a filter; list filters bind one JSON array each, so statement shapes stay few. */
export function chunkFilterSql(filter: ChunkFilter | undefined, alias: string): { clauses: string[]; params: string[] } {
  const clauses: string[] = [];
  const params: string[] = [];
  for (const [key, column] of FILTER_COLUMNS) {
    const values = filter?.[key];
    // An empty list means "no constraint", like an absent one.
    if (values && values.length > 0) {
      clauses.push(`${alias}.${column} IN (SELECT value FROM json_each(?))`);
      params.push(JSON.stringify(values));
    }
  }
  const tickets = filter?.ticketCollections;
  // Unlike the lists above, an empty list here is a constraint: no ticket chunks at all.
  if (tickets) {
    clauses.push(`(${alias}.source_type <> 'ticket' OR ${alias}.collection IN (SELECT value FROM json_each(?)))`);
    params.push(JSON.stringify(tickets));
  }
  if (filter?.scriptFamily) clauses.push(scriptFamilySql(`${alias}.language`, filter.scriptFamily));
  return { clauses, params };
}

/** Where-clause over `documents` for a listing query. */
export function documentFilterSql(q: DocumentListQuery): { where: string; params: Array<string | number> } {
  const clauses: string[] = [];
  const params: Array<string | number> = [];
  const eq = (column: string, value: string | undefined): void => {
    if (value !== undefined) { clauses.push(`${column} = ?`); params.push(value); }
  };
  eq("id", q.id);
  eq("collection", q.collection);
  if (q.collections) { clauses.push("collection IN (SELECT value FROM json_each(?))"); params.push(JSON.stringify(q.collections)); }
  eq("status", q.status);
  eq("source_type", q.sourceType);
  if (q.sourcePathPrefix) { clauses.push("instr(source_path, ?) = 1"); params.push(q.sourcePathPrefix); }
  // instr, not LIKE: '%' and '_' in the searched text are plain characters.
  if (q.titleContains) { clauses.push("instr(lower(title), lower(?)) > 0"); params.push(q.titleContains); }
  return { where: clauses.length ? `WHERE ${clauses.join(" AND ")}` : "", params };
}

export interface KeywordDocRow extends FilterRow { id: string; section_path: string; position: number; title_tokens: string | null; body_tokens: string | null }
