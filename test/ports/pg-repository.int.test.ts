import { describeDocumentRepository } from "./document-repository.conformance.js";
import { openTempPgStore } from "./pg-harness.js";

describeDocumentRepository("PostgreSQL", async () => {
  const { store, close } = await openTempPgStore();
  return { repo: store, log: store, close };
});
