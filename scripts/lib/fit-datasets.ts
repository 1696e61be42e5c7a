import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { createAnswering, openEngine, storeIdf, type Engine } from "../../src/container.js";
import type { Config } from "../../src/config.js";
import { ExtractiveComposer, type ExtractiveOptions } from "../../src/answer/extractive.js";
import { readDataset, sampleHeldOut, type EvalQuestion } from "../../src/eval/dataset.js";
import type { ConfidenceSample } from "../../src/eval/fit-confidence.js";
import type { DatasetQuality } from "../../src/eval/fit-composer.js";
import { percentile, rougeL } from "../../src/eval/metrics.js";
import { scoreQuestion, wordCount } from "../../src/eval/pdf-scoring.js";
import { isRawDataset, readRawDataset, type RawQuestion } from "../../src/eval/raw-dataset.js";
import { confidenceFeatures } from "../../src/retrieval/confidence.js";
import { detectLanguage } from "../../src/text/language.js";
import { citationRef, ingestAsUploads } from "./raw-eval.js";
import { ingestJsonlFiles } from "./jsonl-ingest.js";

/** One dev dataset, ingested into a throw-away engine the way `npm run eval` ingests it. */
export interface FitDataset {
  name: string;
  /**
   * The composer's answers with `options`, every answerable question answered (the confidence gate is fitted
   * separately): ROUGE-L against the reference answers, or for a dataset of files the share of correct answers
   * (every key group, and a citation on a gold page).
   */
  answerQuality(options: Partial<ExtractiveOptions>): Promise<DatasetQuality>;
  /** Confidence evidence per question. JSONL datasets then remove held-out documents: call it last. */
  confidenceSamples(): Promise<ConfidenceSample[]>;
  close(): Promise<void>;
}

export interface FitDatasetOptions {
  /** Dataset of files: where its documents are when not in DIR/documents. */
  documents?: string;
  /** JSONL datasets: share of answerable questions asked again after their gold documents were removed. */
  holdoutFraction: number;
  seed: number;
}

type Scored = { score: number; words: number | undefined };

export async function openFitDataset(config: Config, dir: string, options: FitDatasetOptions, log: (m: string) => void): Promise<FitDataset> {
  const dataDir = mkdtempSync(join(tmpdir(), "groundline-fit-"));
  const engine = await openEngine({ ...config, DATA_DIR: dataDir });
  const close = async (): Promise<void> => {
    await engine.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    return isRawDataset(dir) ? await rawDataset(engine, dir, options, log, close) : await jsonlDataset(engine, dir, options, log, close);
  } catch (err) {
    await close();
    throw err;
  }
}

/** Answers every question with the composer options, the gate off, and averages what `score` makes of each reply. */
async function quality<Q extends { question: string }>(engine: Engine, questions: readonly Q[], options: Partial<ExtractiveOptions>, score: (q: Q, a: Awaited<ReturnType<Answerer>>) => Scored): Promise<DatasetQuality> {
  const answering = await createAnswering(engine, { mode: "hybrid", composer: new ExtractiveComposer(options), answer: { minConfidence: 0 } });
  const scored: Scored[] = [];
  for (const q of questions) scored.push(score(q, await answering.answer({ question: q.question })));
  const words = scored.flatMap((s) => (s.words === undefined ? [] : [s.words]));
  return { score: scored.reduce((a, s) => a + s.score, 0) / Math.max(1, scored.length), medianWords: words.length ? percentile(words, 50) : 0 };
}
type Answerer = Awaited<ReturnType<typeof createAnswering>>["answer"];

async function measure(engine: Engine): Promise<(question: string) => Promise<ConfidenceSample["features"]>> {
  const answering = await createAnswering(engine, { mode: "hybrid", composer: new ExtractiveComposer() });
  const idf = storeIdf(engine.keywords);
  return async (question) => {
    const result = await answering.retrieve(question, { topK: engine.config.RETRIEVAL_TOP_K });
    return confidenceFeatures(result, await idf(result.terms));
  };
}

async function rawDataset(engine: Engine, dir: string, options: FitDatasetOptions, log: (m: string) => void, close: () => Promise<void>): Promise<FitDataset> {
  const dataset = readRawDataset(dir, options.documents);
  await ingestAsUploads(engine, dataset, log);
  const name = basename(dir);
  const answerable = dataset.questions.filter((q) => q.answerable);
  // The evaluation's own definition of a correct reply (every key group, a citation on a gold page, not refused).
  const correct = (q: RawQuestion, a: Awaited<ReturnType<Answerer>>): Scored => {
    const r = scoreQuestion(q, { text: a.answer, citations: a.citations.map(citationRef), answered: a.answerable }, undefined, 0);
    return { score: r.correct ? 1 : 0, words: a.answerable ? r.words : undefined };
  };
  return {
    name,
    answerQuality: (o) => quality(engine, answerable, o, correct),
    confidenceSamples: async () => {
      const features = await measure(engine);
      const out: ConfidenceSample[] = [];
      for (const q of dataset.questions) {
        out.push({ dataset: name, part: q.gold[0]?.file ?? "*", language: detectLanguage(q.question), kind: q.answerable ? "answerable" : "off-topic", features: await features(q.question) });
      }
      return out;
    },
    close,
  };
}

async function jsonlDataset(engine: Engine, dir: string, options: FitDatasetOptions, log: (m: string) => void, close: () => Promise<void>): Promise<FitDataset> {
  const dataset = readDataset(dir);
  await ingestJsonlFiles(engine, [dataset.corpusFile]);
  const name = basename(dir);
  log(`${name}: ${dataset.questions.length} questions`);
  const withReference = dataset.questions.filter((q) => q.answerable && q.answer);
  const rouge = (q: EvalQuestion, a: Awaited<ReturnType<Answerer>>): Scored => ({
    score: a.answerable ? rougeL(a.answer, q.answer ?? "") : 0,
    words: a.answerable ? wordCount(a.answer) : undefined,
  });
  return {
    name,
    answerQuality: (o) => quality(engine, withReference, o, rouge),
    confidenceSamples: async () => {
      const features = await measure(engine);
      const sample = async (question: string, kind: ConfidenceSample["kind"]): Promise<ConfidenceSample> =>
        ({ dataset: name, part: "*", language: detectLanguage(question), kind, features: await features(question) });
      const out: ConfidenceSample[] = [];
      for (const q of dataset.questions) out.push(await sample(q.question, q.answerable ? "answerable" : "off-topic"));
      // The same hold-out sampling as `npm run eval`: these must be refused once their documents are gone.
      const heldOut = sampleHeldOut(dataset.questions, options.holdoutFraction, options.seed);
      for (const q of heldOut) for (const id of q.gold) await engine.store.deleteDocument("eval", id);
      await engine.indexes.catchUp();
      for (const q of heldOut) out.push(await sample(q.question, "held-out"));
      log(`${name}: ${out.length} confidence samples (${heldOut.length} held out)`);
      return out;
    },
    close,
  };
}
