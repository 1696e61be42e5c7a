import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { openEngine } from "../../src/container.js";
import type { Config } from "../../src/config.js";
import { readRawDataset, type RawDataset } from "../../src/eval/raw-dataset.js";
import { perQuestionLines } from "../../src/eval/per-question.js";
import { evaluateRaw, reportsByFile, type QuestionResult, type RawReport, type RawSystem } from "../../src/eval/pdf-scoring.js";
import { checkFloors, flattenRaw, formatRawTables, notAheadOf } from "../../src/eval/report-format.js";
import type { RetrievalMode } from "../../src/retrieval/retrieve.js";
import { ingestAsUploads, productRawSystem, referenceRawSystem } from "./raw-eval.js";
import { httpRawSystem, startHttpServer } from "./http-eval.js";

export interface RawEvalArgs {
  dataset: string;
  documents?: string;
  modes: RetrievalMode[];
  reference: boolean;
  http: boolean;
  limit?: number;
  json?: string;
  /** `--per-question FILE`: one JSON line per system and question. */
  perQuestion?: string;
  floors?: string;
}

/** The raw-documents evaluation (`npm run eval -- --dataset DIR` on a dataset of files): returns the exit code. */
export async function runRawEval(config: Config, args: RawEvalArgs, log: (m: string) => void): Promise<number> {
  const dataset = readRawDataset(args.dataset, args.documents);
  const questions = args.limit ? dataset.questions.slice(0, args.limit) : dataset.questions;
  log(`${basename(args.dataset)}: ${dataset.files.length} files, ${questions.length} questions`);
  const results: Record<string, QuestionResult[]> = {};
  const ask = async (system: RawSystem): Promise<void> => {
    const t0 = performance.now();
    results[system.name] = await evaluateRaw(system, questions);
    log(`evaluated ${system.name} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  };
  const embedderId = args.http ? await viaHttp(config, dataset, ask, log) : await inProcess(config, dataset, args, ask, log);
  const systems: Record<string, Record<string, RawReport>> = {};
  for (const [name, r] of Object.entries(results)) systems[name] = reportsByFile(r, dataset.files);
  process.stdout.write(`${formatRawTables(systems)}\n`);
  const reference = systems.langchainReference;
  for (const name of reference ? Object.keys(systems).filter((n) => n !== "langchainReference") : []) {
    for (const [scope, figures] of Object.entries(notAheadOf(systems[name]!, reference!))) {
      process.stdout.write(`${name} vs langchainReference (${scope}): ${figures.length === 0 ? "ahead on every figure" : `not ahead on ${figures.join(", ")}`}\n`);
    }
  }
  if (args.json) {
    const out = { dataset: args.dataset, documents: dataset.documentsDir, embedder: embedderId, http: args.http, systems, questions: results };
    writeFileSync(args.json, `${JSON.stringify(out, null, 2)}\n`);
  }
  if (args.perQuestion) writeFileSync(args.perQuestion, perQuestionLines(results));
  if (!args.floors) return 0;
  const failures = checkFloors(flattenRaw(systems), JSON.parse(readFileSync(args.floors, "utf8")), basename(args.dataset));
  for (const f of failures) process.stderr.write(`quality gate: ${f}\n`);
  if (failures.length > 0) return 1;
  log("quality gate passed");
  return 0;
}

async function inProcess(config: Config, dataset: RawDataset, args: RawEvalArgs, ask: (s: RawSystem) => Promise<void>, log: (m: string) => void): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), "groundline-eval-"));
  const engine = await openEngine({ ...config, DATA_DIR: dataDir } satisfies Config);
  try {
    await ingestAsUploads(engine, dataset, log);
    for (const mode of args.modes) await ask(await productRawSystem(engine, mode));
    if (args.reference) await ask(await referenceRawSystem(engine, dataset, log));
    return engine.embedder.id;
  } finally {
    await engine.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function viaHttp(config: Config, dataset: RawDataset, ask: (s: RawSystem) => Promise<void>, log: (m: string) => void): Promise<string> {
  const server = await startHttpServer(config, log);
  try {
    const system = await httpRawSystem(server, dataset, log);
    await ask(system);
    return `${config.EMBEDDER} (server)`;
  } finally {
    await server.stop();
  }
}
