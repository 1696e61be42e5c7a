import { describeKeywordIndex } from "./keyword-index.conformance.js";
import { describeKeywordIndexExactness } from "./keyword-index-exactness.conformance.js";
import { pgKeywordIndex } from "./pg-harness.js";

describeKeywordIndex("PostgreSQL", pgKeywordIndex);
describeKeywordIndexExactness("PostgreSQL", pgKeywordIndex);
