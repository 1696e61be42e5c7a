import { describeKeywordIndex } from "./keyword-index.conformance.js";
import { describeKeywordIndexExactness } from "./keyword-index-exactness.conformance.js";
import { pgKeywordIndex, pgKeywordIndexTinyBudget } from "./pg-harness.js";

describeKeywordIndex("PostgreSQL", pgKeywordIndex);
describeKeywordIndexExactness("PostgreSQL", pgKeywordIndex);
// Large stores' path (MaxScore rounds) on small corpora: the same contract, to the same 1e-9.
describeKeywordIndexExactness("PostgreSQL, postings budget 3", pgKeywordIndexTinyBudget);
