import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import { createAnswering, openEngine, type Engine } from "../src/container.js";
import { runCli, UsageError } from "../src/cli/run-cli.js";
import type { Config } from "../src/config.js";
import { readDataset, sampleHeldOut } from "../src/eval/dataset.js";
import { evaluateFull, evaluateHeldOut, report, type EvalSystem, type ModeReport } from "../src/eval/run-eval.js";
import { checkFloors, formatTable } from "../src/eval/report-format.js";
import { perQuestionLines } from "../src/eval/per-question.js";
import type { RetrievalMode } from "../src/retrieval/retrieve.js";
import { ExtractiveComposer } from "../src/answer/extractive.js";
import { isRawDataset } from "../src/eval/raw-dataset.js";
import { leadSentences } from "../src/eval/lead.js";
import { WordsBigramsIndex } from "../src/eval/words-bigrams.js";
import { LangChainReference } from "./lib/langchain-reference.js";
import { referenceAnswer } from "./lib/reference-answer.js";
import { runRawEval } from "./lib/raw-main.js";
import { ingestJsonlFiles } from "./lib/jsonl-ingest.js";

const USAGE =
  "usage: npm run eval -- --dataset DIR [--documents DIR] [--http] [--mode bm25|dense|hybrid|all] [--holdout-fraction F] [--seed N] [--with-tickets] [--no-reference] [--limit N] [--json FILE] [--per-question FILE] [--floors FILE]";

/**
 * `npm run eval`: quality of retrieval, answers and refusals on a dataset directory, per mode side by side, with the
 * fixed `wordsBigrams` baseline always beside them (and `langchainReference` and `lead` unless --no-reference). A
 * dataset of files (documents/ + questions with page gold, e.g. pdf-manuals) goes to the raw-documents evaluation.
 */
await runCli(async (config, argv) => {
  const args = parse(argv);
  if (isRawDataset(args.dataset)) return runRawEval(config, args, log);
  if (args.http || args.documents) throw new UsageError("--http and --documents apply to datasets of files (documents/ + questions with page gold)");
  const dataset = readDataset(args.dataset);
  const questions = args.limit ? dataset.questions.slice(0, args.limit) : dataset.questions;
  const heldOut = sampleHeldOut(questions, args.holdoutFraction, args.seed);
  const removed = new Set<string>();
  const dataDir = mkdtempSync(join(tmpdir(), "groundline-eval-"));
  const engine = await openEngine({ ...config, DATA_DIR: dataDir } satisfies Config);
  try {
    const t0 = performance.now();
    const files = [dataset.corpusFile, ...(args.withTickets && dataset.ticketsFile ? [dataset.ticketsFile] : [])];
    const [corpusDocs = []] = await ingestJsonlFiles(engine, files);
    log(`ingested ${await engine.store.countDocuments()} documents in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const systems: EvalSystem[] = [];
    for (const mode of args.modes) systems.push(await ourSystem(engine, mode));
    systems.push(await wordsBigramsSystem(engine, removed));
    if (args.reference) {
      const ref = await LangChainReference.build(corpusDocs.map((d) => ({ id: d.id, title: d.title, text: d.sections.map((s) => s.text).join("\n\n") })), engine.embedder);
      systems.push(referenceSystem(ref, removed));
      systems.push(await leadSystem(engine));
    }
    const tallies = new Map<string, Awaited<ReturnType<typeof evaluateFull>>>();
    for (const s of systems) {
      log(`evaluating ${s.name} on ${questions.length} questions`);
      tallies.set(s.name, await evaluateFull(s, questions));
    }
    if (heldOut.length > 0) {
      for (const q of heldOut) for (const id of q.gold) if (await engine.store.deleteDocument("eval", id)) removed.add(id);
      await engine.indexes.catchUp();
      log(`held out ${heldOut.length} questions (${removed.size} gold documents removed)`);
      for (const s of systems) await evaluateHeldOut(s, heldOut, tallies.get(s.name)!);
    }
    const modes: Record<string, ModeReport> = {};
    for (const [name, t] of tallies) modes[name] = report(t);
    const result = { dataset: args.dataset, embedder: engine.embedder.id, holdoutFraction: args.holdoutFraction, seed: args.seed, modes };
    process.stdout.write(`${formatTable(modes)}\n`);
    if (args.json) writeFileSync(args.json, `${JSON.stringify(result, null, 2)}\n`);
    if (args.perQuestion) writeFileSync(args.perQuestion, perQuestionLines(Object.fromEntries([...tallies].map(([system, t]) => [system, t.outcomes]))));
    if (args.floors) {
      const failures = checkFloors(modes, JSON.parse(readFileSync(args.floors, "utf8")), basename(args.dataset));
      for (const f of failures) process.stderr.write(`quality gate: ${f}\n`);
      if (failures.length > 0) return 1;
      log("quality gate passed");
    }
    return 0;
  } finally {
    await engine.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

async function ourSystem(engine: Engine, mode: RetrievalMode): Promise<EvalSystem> {
  const answering = await createAnswering(engine, { mode, composer: new ExtractiveComposer(engine.fitted.composer) });
  return {
    name: mode,
    search: async (q, k) => (await answering.retrieve(q, { topK: k })).chunks.map((c) => c.documentId),
    answer: async (q) => {
      const a = await answering.answer({ question: q });
      return { text: a.answer, citedDocuments: a.citations.map((c) => c.documentId), answered: a.answerable };
    },
  };
}

/** LangChain's documented pipeline: always answers (it has no refusal) from its top-4 chunks, extractively. */
function referenceSystem(ref: LangChainReference, exclude: ReadonlySet<string>): EvalSystem {
  return {
    name: "langchainReference",
    search: async (q, k) => (await ref.search(q, Math.max(k, 4), exclude)).map((h) => h.documentId),
    answer: async (q) => {
      const a = await referenceAnswer(ref, q, exclude);
      return { text: a.text, citedDocuments: a.citations.map((c) => c.documentId), answered: a.answered };
    },
  };
}

/**
 * The `lead` baseline (issue #11): the first 4 sentences of plain `bm25` mode's top result, citing it; it never
 * refuses. Fixed, never tuned: ROUGE-L of the product is read against it.
 */
async function leadSystem(engine: Engine): Promise<EvalSystem> {
  const answering = await createAnswering(engine, { mode: "bm25", composer: new ExtractiveComposer() });
  return {
    name: "lead",
    search: async (q, k) => (await answering.retrieve(q, { topK: k })).chunks.map((c) => c.documentId),
    answer: async (q) => {
      const top = (await answering.retrieve(q, { topK: 1 })).chunks[0];
      return top ? { text: leadSentences(top.text), citedDocuments: [top.documentId], answered: true } : { text: "", citedDocuments: [], answered: false };
    },
  };
}

/**
 * The `wordsBigrams` baseline (issue #13): plain BM25 over Intl.Segmenter words + CJK bigrams of the same chunks the
 * engine stored (see `src/eval/words-bigrams.ts`). Reported on every JSONL dataset, never tuned. It answers like
 * `lead` (the first 4 sentences of its top chunk, never refusing), so its ROUGE-L is comparable; held-out gold
 * documents are excluded from its index once removed from the engine's.
 */
async function wordsBigramsSystem(engine: Engine, removed: ReadonlySet<string>): Promise<EvalSystem> {
  const chunks = await engine.store.getChunks(await engine.store.allChunkIds());
  const index = new WordsBigramsIndex(chunks.map((c) => ({ id: c.id, documentId: c.documentId, text: c.text })));
  const byId = new Map(chunks.map((c) => [c.id, c]));
  return {
    name: "wordsBigrams",
    search: async (q, k) => index.search(q, k, removed).map((h) => h.documentId),
    answer: async (q) => {
      const top = index.search(q, 1, removed)[0];
      const text = top ? leadSentences(byId.get(top.id)!.text) : "";
      return top ? { text, citedDocuments: [top.documentId], answered: true } : { text: "", citedDocuments: [], answered: false };
    },
  };
}

function parse(argv: string[]) {
  let values;
  try {
    values = parseArgs({
      args: argv,
      options: {
        dataset: { type: "string" },
        documents: { type: "string" },
        http: { type: "boolean" },
        mode: { type: "string", default: "all" },
        "holdout-fraction": { type: "string", default: "0" },
        seed: { type: "string", default: "1" },
        "with-tickets": { type: "boolean" },
        "no-reference": { type: "boolean" },
        limit: { type: "string" },
        json: { type: "string" },
        "per-question": { type: "string" },
        floors: { type: "string" },
      },
    }).values;
  } catch (err) {
    throw new UsageError(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
  }
  if (!values.dataset) throw new UsageError(USAGE);
  const modeArg = values.mode ?? "all";
  if (!["all", "hybrid", "bm25", "dense"].includes(modeArg)) throw new UsageError(`--mode must be bm25, dense, hybrid or all\n${USAGE}`);
  const holdoutFraction = Number(values["holdout-fraction"]);
  if (!(holdoutFraction >= 0 && holdoutFraction < 1)) throw new UsageError("--holdout-fraction must be in [0, 1)");
  const modes: RetrievalMode[] = modeArg === "all" ? ["hybrid", "bm25", "dense"] : [modeArg as RetrievalMode];
  return {
    dataset: values.dataset,
    ...(values.documents ? { documents: values.documents } : {}),
    http: values.http === true,
    modes,
    holdoutFraction,
    seed: Number(values.seed ?? 1),
    withTickets: values["with-tickets"] === true,
    reference: values["no-reference"] !== true && modeArg === "all",
    ...(values.limit ? { limit: Number(values.limit) } : {}),
    ...(values.json ? { json: values.json } : {}),
    ...(values["per-question"] ? { perQuestion: values["per-question"] } : {}),
    ...(values.floors ? { floors: values.floors } : {}),
  };
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}
