import { primaryLanguage } from "../text/language.js";
import { confidenceScore, FEATURE_KEYS, type ConfidenceFeatures, type ConfidenceModel, type WeightedFeature } from "../retrieval/confidence.js";
import { balancedWeights, chooseL2, fitStandardized, type LogisticSample } from "./logistic.js";

/** A question's confidence evidence with what it should get: answered (`answerable`) or refused (the others). */
export interface ConfidenceSample {
  dataset: string;
  /** The part of the dataset the question is about (a manual's file); "*" for none (off-topic questions). */
  part: string;
  language: string;
  kind: "answerable" | "off-topic" | "held-out";
  features: ConfidenceFeatures;
}

/**
 * The features the fit weighs; the others get weight 0. Coverage, passage and proximity measure how completely the
 * top chunk restates the question's words, which depends on how questions are phrased as much as on whether they
 * can be answered: customers' long, conversational questions to a PDF manual (10 terms on average) cover less of a
 * page than a knowledge base's answerable questions cover their entries — less, even, than tv-manual's questions
 * whose section was removed. Fitted without pdf-manuals, a model with them refused 87% of its answerable questions.
 * The raw cosine has the same flaw (it falls like 1/√terms as a question grows; 43% refused), so the fit weighs it
 * on a per-question scale (`scaledSimilarity`). What transfers is relative or corpus-level evidence: that scaled
 * similarity, the lead over the next result (margin) and the question terms no chunk contains (unseen). Leg
 * agreement is left out too: it moved the pdf-manuals leave-one-out gap from 0.10 to 0.26.
 */
export const FITTED_FEATURE_KEYS: ReadonlyArray<WeightedFeature> = ["scaledSimilarity", "margin", "unseen"];

/** Languages given their own logit shift when the samples hold both them and others. */
const SHIFTED_LANGUAGES = ["zh"];


/**
 * L2 strengths the fit chooses among (on standardised features), by {@link CV_FOLDS}-fold cross-validation inside the
 * samples it is given: so a leave-one-dataset-out fit chooses its own, without the held-out dataset.
 */
export const L2_GRID: readonly number[] = [0, 0.003, 0.01, 0.03, 0.1, 0.3];
export const CV_FOLDS = 5;

/**
 * Fits the answerability model on samples from several datasets: every dataset and class weighs the same (so the
 * largest dataset does not decide the threshold for the others), and a language seen next to others gets its own
 * logit shift (Chinese questions are segmented differently, so the same evidence reads differently). Only `keys`
 * are weighed (default {@link FITTED_FEATURE_KEYS}); the model's other weights are 0. Features are standardised
 * before the L2 penalty (`fitStandardized`), whose strength is chosen by cross-validation (`chooseL2`): a fixed penalty on raw
 * features shrank scaled similarity most, and how much depended on which datasets were fitted — fitted without
 * tv-manual, the model refused 0.531 of its unanswerable questions against 0.634 fitted with it (gap 0.103).
 */
export function fitConfidence(samples: readonly ConfidenceSample[], keys: ReadonlyArray<WeightedFeature> = FITTED_FEATURE_KEYS): ConfidenceModel {
  const languages = SHIFTED_LANGUAGES.filter((l) => samples.some((s) => primaryLanguage(s.language) === l) && samples.some((s) => primaryLanguage(s.language) !== l));
  const weights = balancedWeights(samples, (s) => `${s.dataset}|${s.kind}`);
  const data: LogisticSample[] = samples.map((s, i) => ({
    x: [...keys.map((k) => s.features[k]), ...languages.map((l) => (primaryLanguage(s.language) === l ? 1 : 0))],
    y: s.kind === "answerable" ? 1 : 0,
    weight: weights[i]!,
  }));
  const fit = fitStandardized(data, { l2: chooseL2(data, L2_GRID, CV_FOLDS, foldsBy(samples, (s) => `${s.dataset}|${s.kind}`)) });
  const model = { bias: round(fit.bias) } as ConfidenceModel;
  for (const k of FEATURE_KEYS) model[k] = 0;
  keys.forEach((k, i) => (model[k] = round(fit.weights[i]!)));
  if (languages.length > 0) model.languageBias = Object.fromEntries(languages.map((l, j) => [l, round(fit.weights[keys.length + j]!)]));
  return model;
}

/**
 * Deterministic folds: each (group) cell's samples dealt round-robin, so every fold holds every dataset and kind in
 * proportion.
 */
function foldsBy<T>(items: readonly T[], key: (item: T) => string): (i: number) => number {
  const seen = new Map<string, number>();
  const fold = items.map((item) => {
    const n = seen.get(key(item)) ?? 0;
    seen.set(key(item), n + 1);
    return n % CV_FOLDS;
  });
  return (i) => fold[i]!;
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

/** Refusal rates at `threshold`: answerable questions refused (wrong), off-topic and held-out ones refused (right). */
export interface RefusalRates {
  answerable: number;
  wrongRefusal: number;
  unanswerable: number;
  correctRefusal: number;
}

export function refusalRates(model: ConfidenceModel, samples: readonly ConfidenceSample[], threshold: number): RefusalRates {
  const refused = (s: ConfidenceSample): boolean => confidenceScore(s.features, model, s.language) < threshold;
  const pos = samples.filter((s) => s.kind === "answerable");
  const neg = samples.filter((s) => s.kind !== "answerable");
  const share = (xs: readonly ConfidenceSample[], f: (s: ConfidenceSample) => boolean): number => (xs.length === 0 ? NaN : xs.filter(f).length / xs.length);
  return { answerable: pos.length, wrongRefusal: share(pos, refused), unanswerable: neg.length, correctRefusal: share(neg, refused) };
}

/** One row of the leave-one-out table: the rates on `held` fitted with and without it. */
export interface LeaveOneOutRow {
  held: string;
  inSample: RefusalRates;
  leftOut: RefusalRates;
}

/**
 * Leave-one-dataset-out: for each dataset, the model fitted on the others is measured on it, beside the model fitted
 * on everything (`all`, fitted once by the caller). With `byPart`, the same over the parts of one dataset (leave-one-manual-out); off-topic questions
 * ("*") belong to no part and stay in every fit and every test.
 */
export function leaveOneOut(samples: readonly ConfidenceSample[], threshold: number, all: ConfidenceModel, byPart?: string): LeaveOneOutRow[] {
  const pool = byPart ? samples.filter((s) => s.dataset === byPart) : samples;
  const groups = [...new Set(pool.map((s) => (byPart ? s.part : s.dataset)))].filter((g) => g !== "*");
  return groups.map((held) => {
    const inHeld = (s: ConfidenceSample): boolean => (byPart ? s.dataset === byPart && (s.part === held || s.part === "*") : s.dataset === held);
    const outside = (s: ConfidenceSample): boolean => (byPart ? !(s.dataset === byPart && s.part === held) : s.dataset !== held);
    const test = samples.filter(inHeld);
    return { held, inSample: refusalRates(all, test, threshold), leftOut: refusalRates(fitConfidence(samples.filter(outside)), test, threshold) };
  });
}
