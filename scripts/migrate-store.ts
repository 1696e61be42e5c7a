import { resolve } from "node:path";
import { migrateStore, type StoreLocation } from "../src/adapters/store-migration.js";
import { runCli, UsageError } from "../src/cli/run-cli.js";
import type { Config } from "../src/config.js";

const USAGE = "usage: npm run migrate-store -- --to postgres|sqlite [--force]";

/**
 * `npm run migrate-store -- --to postgres`: copies the embedded store in DATA_DIR (documents, chunks, vectors, audit,
 * curated answers, analytics, job ledger, document-id key) into DATABASE_URL / DATABASE_SCHEMA; `--to sqlite` copies
 * back. Vectors are copied, never re-embedded. A non-empty target is refused unless `--force` (which makes it a copy
 * of the source, so a second run changes nothing). Run it with the service stopped. Prints the counts as JSON.
 */
await runCli(async (config, argv) => {
  const { to, force } = parseArgs(argv);
  if (!config.DATABASE_URL) throw new UsageError("migrate-store needs DATABASE_URL (and DATABASE_SCHEMA) for the PostgreSQL side");
  const sqlite: StoreLocation = { backend: "sqlite", dataDir: resolve(config.DATA_DIR) };
  const postgres: StoreLocation = { backend: "postgres", connectionString: config.DATABASE_URL, schema: config.DATABASE_SCHEMA };
  const report = await migrateStore(to === "postgres" ? sqlite : postgres, to === "postgres" ? postgres : sqlite, { force, dataDir: sqlite.dataDir });
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  if (report.waitingUploadsNotCopied > 0) {
    process.stderr.write(`warning: ${report.waitingUploadsNotCopied} upload(s) waiting for a job were not copied; upload them again after the move\n`);
  }
  process.stderr.write(`${hint(config, to)}\n`);
  return 0;
});

function parseArgs(argv: readonly string[]): { to: "postgres" | "sqlite"; force: boolean } {
  let to: string | undefined;
  let force = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--force") force = true;
    else if (arg === "--to") to = argv[++i];
    else if (arg.startsWith("--to=")) to = arg.slice("--to=".length);
    else throw new UsageError(`unknown argument '${arg}'\n${USAGE}`);
  }
  if (to !== "postgres" && to !== "sqlite") throw new UsageError(`${to === undefined ? "--to is required" : `--to '${to}': expected postgres or sqlite`}\n${USAGE}`);
  return { to, force };
}

function hint(config: Config, to: "postgres" | "sqlite"): string {
  return to === "postgres"
    ? `done: start the service with DATABASE_URL and DATABASE_SCHEMA=${config.DATABASE_SCHEMA}; DATA_DIR now holds only this machine's index snapshots`
    : `done: start the service without DATABASE_URL on DATA_DIR=${resolve(config.DATA_DIR)}`;
}
