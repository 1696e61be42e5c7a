// A logical dump of a DATA_DIR, so a test can assert that a rejected request changed nothing: documents, chunks,
// jobs, the files in uploads/ and the change-log sequence. Read straight from the files with better-sqlite3
// (read-only), never through the app, so a bug in the app cannot hide its own writes.
//
// Robust to schema changes made in parallel (a collection column in document identity, job ledgers, new tables):
// every query reads only the columns that exist.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import Database from "better-sqlite3";

/** What a rejected request must leave exactly as it was. */
export interface StoreDump {
  /** One line per document: `collection|id|status|content_hash|chunk_count` (columns that exist), sorted. */
  documents: string[];
  /** One line per chunk: `collection|document_id|id|content_hash`, sorted. */
  chunks: string[];
  /** One line per job row of every job table found: `table|id|state|collection|document_id`, sorted. */
  jobs: string[];
  /** Files under `uploads/` (relative paths, with size and sha256 prefix), sorted. */
  uploads: string[];
  /** `SELECT max(seq) FROM changes` (0 when empty or absent). */
  changeSeq: number;
}

const DOC_COLUMNS = ["collection", "id", "status", "content_hash", "chunk_count", "title"];
const CHUNK_COLUMNS = ["collection", "document_id", "id", "content_hash"];
const JOB_COLUMNS = ["id", "state", "collection", "document_id", "content_hash"];

/** Reads the dump of `dataDir`. Missing databases or tables dump as empty (a fresh DATA_DIR). */
export function dumpStore(dataDir: string): StoreDump {
  const dump: StoreDump = { documents: [], chunks: [], jobs: [], uploads: listUploads(join(dataDir, "uploads")), changeSeq: 0 };
  withDb(join(dataDir, "store.db"), (db) => {
    dump.documents = rows(db, "documents", DOC_COLUMNS);
    dump.chunks = rows(db, "chunks", CHUNK_COLUMNS);
    if (tableExists(db, "changes")) dump.changeSeq = Number(db.prepare("SELECT coalesce(max(seq), 0) FROM changes").pluck().get() ?? 0);
    // A job ledger may live in the store (jobs stream): dump any table whose name says "job".
    for (const t of jobTables(db)) dump.jobs.push(...jobRows(db, t));
  });
  withDb(join(dataDir, "jobs.db"), (db) => {
    for (const t of jobTables(db)) dump.jobs.push(...jobRows(db, t));
  });
  dump.jobs.sort();
  return dump;
}

function withDb(file: string, fn: (db: Database.Database) => void): void {
  if (!existsSync(file)) return;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    fn(db);
  } finally {
    db.close();
  }
}

function tableExists(db: Database.Database, table: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
}

function columnsOf(db: Database.Database, table: string): string[] {
  return db.prepare("SELECT name FROM pragma_table_info(?)").pluck().all(table) as string[];
}

/** Sorted `a|b|c` lines of the wanted columns that exist in `table` (none when the table is absent). */
function rows(db: Database.Database, table: string, wanted: readonly string[]): string[] {
  if (!tableExists(db, table)) return [];
  const present = columnsOf(db, table);
  const cols = wanted.filter((c) => present.includes(c));
  if (cols.length === 0) return [];
  const list = cols.map((c) => `"${c}"`).join(", ");
  const out = db.prepare(`SELECT ${list} FROM "${table}"`).raw().all() as unknown[][];
  return out.map((r) => r.map((v) => String(v ?? "")).join("|")).sort();
}

function jobTables(db: Database.Database): string[] {
  const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%job%'").pluck().all() as string[];
  return names.filter((n) => columnsOf(db, n).includes("id") && columnsOf(db, n).includes("state"));
}

/** Job rows; the collection comes from a `collection` column or, failing that, from the JSON `data`. */
function jobRows(db: Database.Database, table: string): string[] {
  const present = columnsOf(db, table);
  const cols = JOB_COLUMNS.filter((c) => present.includes(c));
  const withData = present.includes("data") && !present.includes("collection");
  const list = [...cols, ...(withData ? ["data"] : [])].map((c) => `"${c}"`).join(", ");
  const out = db.prepare(`SELECT ${list} FROM "${table}"`).all() as Array<Record<string, unknown>>;
  return out.map((r) => {
    const collection = withData ? collectionFromData(r["data"]) : String(r["collection"] ?? "");
    return [table, String(r["id"]), String(r["state"]), collection, String(r["document_id"] ?? ""), String(r["content_hash"] ?? "")].join("|");
  });
}

function collectionFromData(data: unknown): string {
  if (typeof data !== "string") return "";
  try {
    const parsed = JSON.parse(data) as { collection?: unknown };
    return typeof parsed.collection === "string" ? parsed.collection : "";
  } catch {
    return "";
  }
}

/** Every file under `root` (recursively, bounded depth) with its size and a hash prefix, so an overwrite shows. */
function listUploads(root: string, depth = 0): string[] {
  if (!existsSync(root) || depth > 4) return [];
  const out: string[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const full = join(root, entry.name);
    if (entry.isDirectory()) out.push(...listUploads(full, depth + 1).map((p) => join(entry.name, p)));
    else if (entry.isFile()) out.push(`${relative(root, full)}|${statSync(full).size}|${fileHash(full)}`);
  }
  return out.sort();
}

function fileHash(file: string): string {
  // Uploads in these tests are small; a huge file is compared by size only rather than read whole.
  if (statSync(file).size > 64 * 1024 * 1024) return "size-only";
  return createHash("sha256").update(readFileSync(file)).digest("hex").slice(0, 16);
}
