import { existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InvalidInputError } from "../errors.js";
import type { CuratedStore } from "../ports/curated-store.js";
import type { ChangeLog } from "../ports/change-log.js";
import type { UploadStore } from "../ports/upload-store.js";
import { FileUploadStore } from "./file-upload-store.js";
import { PgCuratedStore } from "./pg-curated.js";
import { openPgStore } from "./pg-store.js";
import { PgUploadStore } from "./pg-upload-store.js";
import { pgSideTables, sqliteSideTables, type SideTables } from "./side-tables.js";
import { openSqliteCurated } from "./sqlite-curated.js";
import { openSqliteStore } from "./sqlite-store.js";
import { copyCurated, copyDocuments, type CopyTarget, type DocumentCopyReport } from "./store-copy.js";

/** Where an installation's state lives: the embedded files of a DATA_DIR, or a PostgreSQL schema. */
export type StoreLocation = { backend: "sqlite"; dataDir: string } | { backend: "postgres"; connectionString: string; schema: string };

export interface MigrationReport extends DocumentCopyReport {
  from: string;
  to: string;
  curatedAnswers: number;
  curatedVersions: number;
  served: number;
  feedback: number;
  ledgerEntries: number;
  audit: number;
  idSecretCopied: boolean;
  /** Uploads still waiting for a job in the source: not copied (let their jobs finish before migrating). */
  waitingUploadsNotCopied: number;
  /** Target documents that `--force` removed because the source does not have them. */
  removedFromTarget: number;
}

/** Index snapshots in DATA_DIR describe the old store's change log: removed, so the next start rebuilds from the new one. */
const SNAPSHOT_FILES = ["vectors.manifest.json", "keywords.kwi"];

interface Side {
  repo: CopyTarget & ChangeLog;
  curated: CuratedStore;
  tables: SideTables;
  uploads: UploadStore;
  close(): Promise<void>;
}

async function openSide(at: StoreLocation, role: "source" | "target"): Promise<Side> {
  if (at.backend === "sqlite") {
    const file = join(at.dataDir, "store.db");
    if (role === "source" && !existsSync(file)) throw new InvalidInputError(`nothing to migrate: ${file} does not exist (is DATA_DIR right?)`);
    const repo = openSqliteStore(file);
    const curated = openSqliteCurated(join(at.dataDir, "curated.db"));
    const tables = sqliteSideTables(at.dataDir);
    return { repo, curated, tables, uploads: new FileUploadStore(at.dataDir), close: async () => { tables.close(); curated.close(); await repo.close(); } };
  }
  const repo = await openPgStore({ connectionString: at.connectionString, schema: at.schema, max: 4 });
  return {
    repo, curated: new PgCuratedStore(repo.pool), tables: pgSideTables(repo.pool), uploads: new PgUploadStore(repo.pool, tmpdir(), 0),
    close: () => repo.close(),
  };
}

const describe = (at: StoreLocation): string => (at.backend === "sqlite" ? `sqlite:${at.dataDir}` : `postgres:schema ${at.schema}`);

/**
 * Copies an installation's state from one backend to the other without re-embedding: documents, chunks, terms and
 * vectors (byte for byte), the audit log, curated answers with their versions, analytics, the job ledger and the
 * document-id key. A target holding anything is refused unless `force`, which makes the target equal to the source
 * (so running it again changes nothing). `dataDir` is this machine's DATA_DIR, whose index snapshots are removed.
 */
export async function migrateStore(from: StoreLocation, to: StoreLocation, options: { force: boolean; dataDir: string }): Promise<MigrationReport> {
  const source = await openSide(from, "source");
  try {
    const target = await openSide(to, "target");
    try {
      const removedFromTarget = await prepareTarget(source, target, options.force);
      const docs = await copyDocuments(source.repo, target.repo);
      const curated = await copyCurated(source.curated, target.curated);
      const rows = await source.tables.read();
      await target.tables.write(rows);
      const secret = await source.tables.idSecret();
      if (secret) await target.tables.setIdSecret(secret);
      for (const f of SNAPSHOT_FILES) rmSync(join(options.dataDir, f), { force: true });
      return {
        from: describe(from), to: describe(to), ...docs, curatedAnswers: curated.answers, curatedVersions: curated.versions,
        served: rows.served.length, feedback: rows.feedback.length, ledgerEntries: rows.ledger.length, audit: rows.audit.length, idSecretCopied: secret !== undefined,
        waitingUploadsNotCopied: (await source.uploads.list()).length, removedFromTarget,
      };
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}

/** Refuses a target that holds anything unless `force`; with it, empties what the copy would not overwrite. */
async function prepareTarget(source: Side, target: Side, force: boolean): Promise<number> {
  const targetRows = await target.tables.read();
  const held = {
    documents: await target.repo.countDocuments(),
    curated: (await target.curated.list({ limit: 1 })).total,
    served: targetRows.served.length,
    ledger: targetRows.ledger.length,
    audit: targetRows.audit.length,
  };
  const nonEmpty = Object.entries(held).filter(([, n]) => n > 0);
  if (nonEmpty.length > 0 && !force) {
    throw new InvalidInputError(`the target is not empty (${nonEmpty.map(([k, n]) => `${n} ${k}`).join(", ")}); pass --force to make it a copy of the source`);
  }
  if (nonEmpty.length === 0) return 0;
  const keep = new Set((await source.repo.listDocuments()).map((d) => JSON.stringify([d.collection, d.id])));
  let removed = 0;
  for (const d of await target.repo.listDocuments()) {
    if (keep.has(JSON.stringify([d.collection, d.id]))) continue;
    await target.repo.deleteDocument(d.collection, d.id);
    removed += 1;
  }
  for (;;) {
    const { items } = await target.curated.list({ limit: 100 });
    if (items.length === 0) break;
    for (const c of items) await target.curated.remove(c.collection, c.id);
  }
  await target.tables.clear();
  return removed;
}
