// A serving process for the propagation figure: opens the engine as `npm start` does (in-memory keyword index,
// following the change log by LISTEN/NOTIFY with DATABASE_URL and by polling), prints `{"ready":true}`, then for each
// probe word `<prefix><n>` (n = 0..count-1) prints `{"n":n,"at":<epoch ms>}` as soon as its index finds it.
// argv: prefix count; the config comes from the environment (DATA_DIR, DATABASE_URL, …).
import { pino } from "pino";
import { loadConfig } from "../../src/config.js";
import { openEngine } from "../../src/container.js";
import { followChangeLog } from "../../src/server/follow-log.js";
import { queryTerms } from "../../src/text/analyzer.js";
import { catchUpInSlices } from "../../ingest/sandbox/yield.js";
import { reportToParent } from "./child-process.js";

const [prefix = "zqprop", countArg = "20"] = process.argv.slice(2);
const engine = await openEngine(loadConfig(process.env), { servingKeywordIndex: true });
const follow = followChangeLog({
  indexes: engine.indexes,
  catchUp: (indexes) => catchUpInSlices(indexes),
  afterCatchUp: async () => undefined,
  ...(engine.changeNotices ? { notices: engine.changeNotices } : {}),
  intervalMs: 1000,
  logger: pino({ level: "silent" }),
});
reportToParent({ ready: true });
for (let n = 0; n < Number(countArg); n++) {
  const terms = queryTerms(`${prefix}${n}`);
  // Checked every millisecond: a search for one rare term in the in-memory index costs microseconds.
  while ((await engine.keywords.search(terms, 1)).length === 0) await new Promise((r) => setTimeout(r, 1));
  reportToParent({ n, at: Date.now() });
}
await follow.close();
await engine.close({ saveIndex: false });
