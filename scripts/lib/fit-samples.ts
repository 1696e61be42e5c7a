import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { createAnswering, openEngine, storeIdf, type Answering, type Engine } from "../../src/container.js";
import type { Config } from "../../src/config.js";
import { readDataset } from "../../src/eval/dataset.js";
import { seededRandom } from "../../src/eval/metrics.js";
import { isRawDataset, readRawDataset } from "../../src/eval/raw-dataset.js";
import { confidenceFeatures, type ConfidenceFeatures, type IdfLookup } from "../../src/retrieval/confidence.js";
import type { ConfidenceSample } from "../../src/eval/fit-confidence.js";
import { detectLanguage } from "../../src/text/language.js";
import { ExtractiveComposer } from "../../src/answer/extractive.js";
import { loadFile } from "../../ingest/loaders/load-file.js";
import { ingestDocuments } from "../../ingest/pipeline.js";
import { ingestAsUploads } from "./raw-eval.js";

export interface CollectOptions {
  /** Dataset of files: where its documents are when not in DIR/documents. */
  documents?: string;
  /** JSONL datasets: share of answerable questions asked again after their gold documents were removed. */
  holdoutFraction: number;
  seed: number;
}

/** Opens a throw-away engine, ingests the dataset as `npm run eval` does, and measures every question. */
export async function collectSamples(config: Config, dir: string, options: CollectOptions, log: (m: string) => void): Promise<ConfidenceSample[]> {
  const dataDir = mkdtempSync(join(tmpdir(), "groundline-fit-"));
  const engine = await openEngine({ ...config, DATA_DIR: dataDir });
  try {
    return isRawDataset(dir) ? await rawSamples(engine, dir, options, log) : await jsonlSamples(engine, dir, options, log);
  } finally {
    await engine.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function measurer(engine: Engine): Promise<(question: string) => Promise<ConfidenceFeatures>> {
  const answering: Answering = await createAnswering(engine, { mode: "hybrid", composer: new ExtractiveComposer() });
  const idf: IdfLookup = storeIdf(engine.store);
  return async (question) => confidenceFeatures(await answering.retrieve(question, { topK: engine.config.RETRIEVAL_TOP_K }), idf);
}

async function rawSamples(engine: Engine, dir: string, options: CollectOptions, log: (m: string) => void): Promise<ConfidenceSample[]> {
  const dataset = readRawDataset(dir, options.documents);
  await ingestAsUploads(engine, dataset, log);
  const measure = await measurer(engine);
  const name = basename(dir);
  const out: ConfidenceSample[] = [];
  for (const q of dataset.questions) {
    const part = q.gold[0]?.file ?? "*";
    out.push({ dataset: name, part, language: detectLanguage(q.question), kind: q.answerable ? "answerable" : "off-topic", features: await measure(q.question) });
  }
  log(`${name}: ${out.length} samples`);
  return out;
}

async function jsonlSamples(engine: Engine, dir: string, options: CollectOptions, log: (m: string) => void): Promise<ConfidenceSample[]> {
  const dataset = readDataset(dir);
  const docs = await loadFile({ bytes: readFileSync(dataset.corpusFile), fileName: basename(dataset.corpusFile), sourcePath: dataset.corpusFile });
  await ingestDocuments({ store: engine.store, embedder: engine.embedder }, docs, engine.ingestSettings("eval"));
  await engine.vectors.catchUp();
  const measure = await measurer(engine);
  const name = basename(dir);
  const sample = async (question: string, kind: ConfidenceSample["kind"]): Promise<ConfidenceSample> =>
    ({ dataset: name, part: "*", language: detectLanguage(question), kind, features: await measure(question) });
  const out: ConfidenceSample[] = [];
  for (const q of dataset.questions) out.push(await sample(q.question, q.answerable ? "answerable" : "off-topic"));
  // The same hold-out sampling as `npm run eval`: these questions must be refused once their documents are gone.
  const rand = seededRandom(options.seed);
  const heldOut = options.holdoutFraction > 0 ? dataset.questions.filter((q) => q.answerable && q.gold.length > 0 && rand() < options.holdoutFraction) : [];
  for (const q of heldOut) for (const id of q.gold) engine.store.deleteDocument("eval", id);
  await engine.vectors.catchUp();
  for (const q of heldOut) out.push(await sample(q.question, "held-out"));
  log(`${name}: ${out.length} samples (${heldOut.length} held out)`);
  return out;
}
