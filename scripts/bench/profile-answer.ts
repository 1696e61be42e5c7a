import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { parseArgs } from "node:util";
import { loadConfig } from "../../src/config.js";
import { createAnswering, openEngine } from "../../src/container.js";
import { loadVocabulary } from "./vocabulary.js";
import { SyntheticCorpus } from "./synthetic-corpus.js";
import { latencyStats } from "./stats.js";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Profiling harness: opens a serving engine on an existing DATA_DIR (e.g. one kept by `npm run bench -- --keep`) and
 * runs hybrid retrievals and whole answers for the bench's synthetic questions, printing wall and CPU per query. Run
 * it under `node --cpu-prof --import tsx` to see where an answer's CPU goes.
 * `--profile FILE` writes a CPU profile (.cpuprofile, for Chrome DevTools) of the measured loops only (not the open).
 *   tsx scripts/bench/profile-answer.ts --data DIR [--docs 12500] [--queries 500] [--what retrieve|answer|both] [--profile FILE]
 */
const { values } = parseArgs({ options: { data: { type: "string" }, docs: { type: "string" }, queries: { type: "string" }, what: { type: "string" }, seed: { type: "string" }, profile: { type: "string" } } });
if (!values.data) throw new Error("--data DIR required");
const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const vocabulary = loadVocabulary(join(root, "corpora"));
const corpus = new SyntheticCorpus({ seed: Number(values.seed ?? 42), vocabulary: vocabulary.words });
const questions = corpus.questions(Number(values.queries ?? 500), Number(values.docs ?? 12500));
const config = { ...loadConfig(), LOG_LEVEL: "silent" as const, DATA_DIR: values.data };
const t0 = performance.now();
const engine = await openEngine(config, { servingKeywordIndex: true });
process.stderr.write(`open ${(performance.now() - t0).toFixed(0)} ms\n`);
const answering = await createAnswering(engine);
const what = values.what ?? "both";
const session = values.profile ? new Session() : undefined;
if (session) {
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
}
const run = async (name: string, fn: (q: string) => Promise<unknown>): Promise<void> => {
  for (const q of questions.slice(0, 50)) await fn(q);
  const wall: number[] = [];
  const c0 = process.cpuUsage();
  for (const q of questions) {
    const t = performance.now();
    await fn(q);
    wall.push(performance.now() - t);
  }
  const c = process.cpuUsage(c0);
  const s = latencyStats(wall);
  process.stdout.write(`${name}: p50 ${s.p50} p95 ${s.p95} ms, CPU ${((c.user + c.system) / 1000 / questions.length).toFixed(2)} ms/query\n`);
};
if (what !== "answer") await run("hybrid retrieve", (q) => answering.retrieve(q, { mode: "hybrid", topK: config.RETRIEVAL_TOP_K }));
if (what !== "retrieve") await run("answer", (q) => answering.answer({ question: q }));
if (session && values.profile) {
  const { profile } = await session.post("Profiler.stop");
  writeFileSync(values.profile, JSON.stringify(profile));
}
// Saves the serving snapshots when this open had to build them, so the next run opens fast.
await engine.close();
