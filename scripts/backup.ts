import { mkdirSync, copyFileSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { openEngine } from "../src/container.js";
import { runCli, UsageError } from "../src/cli/run-cli.js";

/**
 * `npm run backup -- DIR`: a consistent copy of DATA_DIR while the service runs. The database is copied with
 * SQLite's online backup; the vector index is not needed (it is rebuilt from the stored vectors), but the last
 * saved one is copied with its manifest when present so a restored copy starts fast.
 */
await runCli(async (config, argv) => {
  const target = argv[0];
  if (!target || argv.length > 1) throw new UsageError("usage: npm run backup -- DIR");
  const dir = resolve(target);
  if (dir === resolve(config.DATA_DIR)) throw new UsageError("the backup directory must differ from DATA_DIR");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const engine = await openEngine(config);
  try {
    // Order matters: manifest, then index, then database. The copied index is then at least as new as its
    // manifest (replay is idempotent) and never newer than the copied database.
    for (const f of ["vectors.manifest.json", "vectors.hnsw"]) {
      const src = join(engine.dataDir, f);
      if (existsSync(src)) copyFileSync(src, join(dir, f));
    }
    await engine.store.backup(join(dir, "store.db"));
    process.stdout.write(`backup written to ${dir}\n`);
  } finally {
    await engine.close();
  }
});
