// The shared-state ports' conformance suites on PostgreSQL.
import { describeAnalyticsStore } from "./analytics-store.conformance.js";
import { describeCuratedStore } from "./curated-store.conformance.js";
import { describeJobLedger } from "./job-ledger.conformance.js";
import { describeLease } from "./lease.conformance.js";
import { describeUploadStore } from "./upload-store.conformance.js";
import { pgStateUnderTest } from "./state-harness.js";

describeUploadStore("PostgreSQL", pgStateUnderTest);
describeJobLedger("PostgreSQL", pgStateUnderTest);
describeCuratedStore("PostgreSQL", pgStateUnderTest);
describeAnalyticsStore("PostgreSQL", pgStateUnderTest);
describeLease("PostgreSQL", pgStateUnderTest);
