import { describeDocumentRepository } from "./document-repository.conformance.js";
import { openTempSqliteStore } from "./sqlite-harness.js";

describeDocumentRepository("SQLite", async () => {
  const { store, close } = openTempSqliteStore();
  return { repo: store, log: store, close };
});
