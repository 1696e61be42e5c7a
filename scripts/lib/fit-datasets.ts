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
import { questionScriptFamily } from "../../src/text/language.js";
import { confidenceFeatures } from "../../src/retrieval/confidence.js";
import type { FusionWeights, RetrievalResult, ScoredChunk } from "../../src/retrieval/retrieve.js";
import type { PooledCandidate, RankingPools } from "../../src/eval/fit-fusion.js";
import { denseRankFeature } from "../../src/retrieval/rerankers/fusion.js";
import { keysFound, onGoldPage } from "../../src/eval/pdf-scoring.js";
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
  answerQuality(options: Partial<ExtractiveOptions>, weights: FusionWeights): Promise<DatasetQuality>;
  /** Every answerable question's hybrid candidate pool (the serving pool) with its features and gains. */
  rankingPools(): Promise<RankingPools>;
  /** Confidence evidence per question. JSONL datasets then remove held-out documents: call it last. */
  confidenceSamples(weights: FusionWeights): Promise<ConfidenceSample[]>;
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
async function quality<Q extends { question: string }>(engine: Engine, retrievals: RetrievalsByWeights, questions: readonly Q[], options: Partial<ExtractiveOptions>, weights: FusionWeights, score: (q: Q, a: Awaited<ReturnType<Answerer>>) => Scored): Promise<DatasetQuality> {
  // Composer options do not change retrieval: each question is retrieved once per weight set, then only composed.
  const key = JSON.stringify(weights);
  const retrievalCache = retrievals.get(key) ?? new Map<string, Promise<RetrievalResult>>();
  retrievals.set(key, retrievalCache);
  const answering = await createAnswering(engine, { mode: "hybrid", composer: new ExtractiveComposer(options), retrieval: { weights }, answer: { minConfidence: 0 }, retrievalCache });
  const scored: Scored[] = [];
  for (const q of questions) scored.push(score(q, await answering.answer({ question: q.question })));
  const words = scored.flatMap((s) => (s.words === undefined ? [] : [s.words]));
  return { score: scored.reduce((a, s) => a + s.score, 0) / Math.max(1, scored.length), medianWords: words.length ? percentile(words, 50) : 0 };
}
type Answerer = Awaited<ReturnType<typeof createAnswering>>["answer"];
/**
 * A dataset's retrieval results per fusion weight set (JSON) and question: the composer search answers every question
 * many times. Owned by the dataset, as long-lived as its engine.
 */
type RetrievalsByWeights = Map<string, Map<string, Promise<RetrievalResult>>>;

/** Pool size of the serving pipeline: retrieval takes max(candidates, 3 × topK) per source, 40 by default. */
const POOL_TOP_K = 13;

/**
 * The hybrid candidate pool of each question, every candidate kept (no per-section cut: re-fusing may pick another
 * chunk of a section), scored by `gain`.
 */
async function pools<Q extends { question: string }>(engine: Engine, questions: readonly Q[], gain: (q: Q, c: ScoredChunk) => number): Promise<RankingPools> {
  const answering = await createAnswering(engine, { mode: "hybrid", retrieval: { perSection: Number.MAX_SAFE_INTEGER } });
  const out: PooledCandidate[][] = [];
  for (const q of questions) {
    const { chunks } = await answering.retrieve(q.question, { topK: POOL_TOP_K });
    out.push(chunks.flatMap((c, i): PooledCandidate[] => (c.lexical ? [{
      features: { ...c.lexical, dense: Math.max(0, c.similarity ?? 0), denseRank: denseRankFeature(c.denseRank) }, label: i, gain: gain(q, c), ...(c.bm25Rank !== undefined ? { bm25Rank: c.bm25Rank } : {}),
    }] : [])));
  }
  return out;
}

async function measure(engine: Engine, weights: FusionWeights): Promise<(question: string) => Promise<ConfidenceSample["features"]>> {
  const answering = await createAnswering(engine, { mode: "hybrid", composer: new ExtractiveComposer(), retrieval: { weights } });
  const idf = storeIdf(engine.keywords);
  return async (question) => {
    // As the answer use case with an extractive composer: only the question's script family is ranked and weighed.
    const family = questionScriptFamily(question);
    const result = await answering.retrieve(question, { topK: engine.config.RETRIEVAL_TOP_K, ...(family ? { scriptFamily: family } : {}) });
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
  const retrievals: RetrievalsByWeights = new Map();
  return {
    name,
    answerQuality: (o, w) => quality(engine, retrievals, answerable, o, w, correct),
    // Half for the decisive passage (every key group in the chunk), half for its page (where a citation must point).
    rankingPools: () => pools(engine, answerable, (q, c) =>
      ((keysFound(c.text, q.keys) ? 1 : 0) + (onGoldPage({ file: c.documentId, ...(c.pageStart !== undefined ? { page: c.pageStart } : {}), ...(c.pageEnd !== undefined ? { pageEnd: c.pageEnd } : {}) }, q.gold) ? 1 : 0)) / 2),
    confidenceSamples: async (w) => {
      const features = await measure(engine, w);
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
  const retrievals: RetrievalsByWeights = new Map();
  return {
    name,
    answerQuality: (o, w) => quality(engine, retrievals, withReference, o, w, rouge),
    rankingPools: () => pools(engine, dataset.questions.filter((q) => q.answerable), (q, c) => (q.gold.includes(c.documentId) ? 1 : 0)),
    confidenceSamples: async (w) => {
      const features = await measure(engine, w);
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
