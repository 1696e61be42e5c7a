import { describeKeywordIndex } from "./keyword-index.conformance.js";
import { sqliteKeywordIndex } from "./sqlite-harness.js";

describeKeywordIndex("SQLite FTS5", async () => sqliteKeywordIndex());
