import { describeKeywordIndex } from "./keyword-index.conformance.js";
import { describeKeywordIndexExactness } from "./keyword-index-exactness.conformance.js";
import { sqliteKeywordIndex } from "./sqlite-harness.js";

describeKeywordIndex("SQLite FTS5", async () => sqliteKeywordIndex());
describeKeywordIndexExactness("SQLite FTS5", async () => sqliteKeywordIndex());
