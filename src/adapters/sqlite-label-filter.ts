import type Database from "better-sqlite3";
import type { ChunkFilter } from "../domain/chunk.js";
import { chunkFilterSql } from "./sqlite-filters.js";

/** How many distinct filters keep their label sets (a handful are live at once: per collection, per product). */
const MAX_FILTERS = 16;

/**
 * Label predicates for filtered vector search. The allowed labels are cached per filter until the database changes
 * (a Set of 100k labels takes ~10 ms to build, more than the vector search it serves).
 */
export class LabelFilterCache {
  private readonly entries = new Map<string, { version: string; allowed: Set<number> }>();

  constructor(private readonly stmt: (sql: string) => Database.Statement) {}

  /** A predicate for `filter` valid at data `version`, or undefined when the filter allows everything. */
  get(filter: ChunkFilter, version: string): ((label: number) => boolean) | undefined {
    const { clauses, params } = chunkFilterSql(filter, "c");
    if (clauses.length === 0) return undefined;
    const key = `${clauses.join(" AND ")}\u0000${params.join("\u0000")}`;
    let entry = this.entries.get(key);
    if (!entry || entry.version !== version) {
      const allowed = new Set(this.stmt(`SELECT c.label FROM chunks c WHERE ${clauses.join(" AND ")}`).pluck().all(...params) as number[]);
      entry = { version, allowed };
      if (this.entries.size >= MAX_FILTERS) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, entry);
    }
    const allowed = entry.allowed;
    return (label) => allowed.has(label);
  }
}
