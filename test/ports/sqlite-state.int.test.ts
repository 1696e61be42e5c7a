// The shared-state ports' conformance suites on SQLite.
import { describeAnalyticsStore } from "./analytics-store.conformance.js";
import { describeCuratedStore } from "./curated-store.conformance.js";
import { describeJobLedger } from "./job-ledger.conformance.js";
import { describeLease } from "./lease.conformance.js";
import { describeUploadStore } from "./upload-store.conformance.js";
import { sqliteStateUnderTest } from "./state-harness.js";

describeUploadStore("SQLite", sqliteStateUnderTest);
describeJobLedger("SQLite", sqliteStateUnderTest);
describeCuratedStore("SQLite", sqliteStateUnderTest);
describeAnalyticsStore("SQLite", sqliteStateUnderTest);
describeLease("SQLite", sqliteStateUnderTest);
