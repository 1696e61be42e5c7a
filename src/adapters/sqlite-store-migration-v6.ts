import type Database from "better-sqlite3";

type Db = Database.Database;

/**
 * Version 6: chunks carry the printed page label of their first page (`page_label`, e.g. "22" or "iv", beside the
 * PDF page index `page_start`) and their block kind (`block_kind`: code, table, list, toc; NULL is prose), so
 * citations can show the printed page and retrieval can leave contents/index text out. Guarded like version 3: a file
 * re-migrated from a rewound user_version may already have the columns.
 */
export function addChunkPageLabelAndKind(db: Db): void {
  const columns = db.prepare("SELECT name FROM pragma_table_info('chunks')").pluck().all() as string[];
  if (!columns.includes("page_label")) db.exec("ALTER TABLE chunks ADD COLUMN page_label TEXT");
  if (!columns.includes("block_kind")) db.exec("ALTER TABLE chunks ADD COLUMN block_kind TEXT");
}
