// A serving process for the ingest figure "until searchable in every serving process": opens the engine as `npm start`
// does (in-memory keyword index, HNSW per HNSW_THREAD, the graph built only while holding the snapshot lease, whose
// holder writes snapshots after catch-ups) and follows the change log as a serving process does (slices,
// polling every 200 ms); after each catch-up prints `{"position":<seq>,"at":<epoch ms>,"delayP99Ms","delayMaxMs"}`
// (the changes up to <seq> are searchable in both indexes; the event-loop delay so far: what a request would wait). Prints `{"ready":true}` first; exits on SIGTERM.
// The config comes from the environment (DATA_DIR, …).
import { monitorEventLoopDelay } from "node:perf_hooks";
import { pino } from "pino";
import { loadConfig } from "../../src/config.js";
import { openEngine } from "../../src/container.js";
import { followChangeLog } from "../../src/server/follow-log.js";
import { SNAPSHOT_LEASE_MS, holdSnapshotLease, openProcessLeases, snapshotLeaseHolder, type ProcessLeases } from "../../src/server/leases.js";
import { catchUpInSlices } from "../../ingest/sandbox/yield.js";
import { reportToParent } from "./child-process.js";

let leases: ProcessLeases | undefined;
const engine = await openEngine(loadConfig(process.env), { servingKeywordIndex: true, buildsGraph: snapshotLeaseHolder(() => leases) });
leases = openProcessLeases(engine.dataDir);
const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();
const ms = (ns: number): number => Math.round(ns / 1e4) / 100;
let reported = -1;
const follow = followChangeLog({
  indexes: engine.indexes,
  catchUp: (indexes) => catchUpInSlices(indexes),
  afterCatchUp: async () => {
    if (holdSnapshotLease(leases!, SNAPSHOT_LEASE_MS)) await engine.indexes.saveIfDirty(engine.config.INDEX_SAVE_EVERY);
    if (engine.indexes.position === reported) return;
    reported = engine.indexes.position;
    reportToParent({ position: reported, at: Date.now(), delayP99Ms: ms(delay.percentile(99)), delayMaxMs: ms(delay.max) });
  },
  intervalMs: 200,
  logger: pino({ level: "silent" }),
});
reportToParent({ ready: true });
// The follower's timer does not keep a process alive (a server's listening socket does); this one waits for SIGTERM.
const alive = setInterval(() => undefined, 60_000);
process.on("SIGTERM", () => {
  clearInterval(alive);
  void follow.close().then(() => engine.close({ saveIndex: false })).finally(() => { leases!.close(); process.exit(0); });
});
