import { join } from "node:path";
import type { SharedState } from "../ports/shared-state.js";
import { FileUploadStore } from "./file-upload-store.js";
import { openSqliteAnalytics } from "./sqlite-analytics.js";
import { openSqliteCurated } from "./sqlite-curated.js";
import { openJobLedger } from "./sqlite-job-ledger.js";

/** The embedded shared state: files and SQLite databases in DATA_DIR (one machine; its processes share them). */
export function sqliteSharedState(dataDir: string): SharedState {
  return {
    backend: "sqlite",
    uploads: new FileUploadStore(dataDir),
    openLedger: () => openJobLedger(dataDir),
    openCurated: () => openSqliteCurated(join(dataDir, "curated.db")),
    openAnalytics: () => openSqliteAnalytics(join(dataDir, "analytics.db")),
  };
}
