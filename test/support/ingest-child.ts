// Child process for the crash-safety test: ingests a directory, printing a line per file, and saves the vector
// index every few files so that a SIGKILL can land during ingest or during a save.
import { loadConfig } from "../../src/config.js";
import { openEngine } from "../../src/container.js";
import { ingestPaths } from "../../ingest/ingest-files.js";

const [dataDir, docsDir] = process.argv.slice(2);
if (!dataDir || !docsDir) throw new Error("usage: ingest-child DATA_DIR DOCS_DIR");
const engine = await openEngine(loadConfig({ DATA_DIR: dataDir }));
let n = 0;
await ingestPaths({ store: engine.store, embedder: engine.embedder }, [docsDir], {
  settings: engine.ingestSettings(),
  maxBytes: 10_000_000,
  onProgress: (p) => {
    if (p.files > n) {
      n = p.files;
      process.stdout.write(`progress ${n}\n`);
      if (n % 3 === 0) void engine.indexes.catchUp().then(() => engine.indexes.save());
    }
  },
});
await engine.close();
process.stdout.write("done\n");
