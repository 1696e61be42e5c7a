import type { ScriptFamily } from "../domain/chunk.js";
import { primaryLanguage } from "../text/language.js";
import { analyze } from "../text/analyzer.js";
import type { RetrievalResult, ScoredChunk } from "./retrieve.js";

/**
 * Answerability from retrieval evidence alone, before any text is composed. Features, each in [0, 1]:
 * - coverage: IDF-weighted share of the question's terms found in the top chunk (text, title, section path);
 * - passage: BM25 of the top chunk's best passage relative to the question's total IDF (how much of the question
 *   one passage answers);
 * - proximity: share of the question's adjacent term pairs that stand side by side in the top chunk;
 * - similarity: cosine similarity of the top chunk to the question (dense leg);
 * - scaledSimilarity: that cosine on a common scale for questions of any length (see {@link scaledSimilarity});
 * - margin: how far the top chunk's fused score is ahead of the next result's (another section);
 * - agreement: whether BM25 and dense both rank the top chunk among their first five;
 * - unseen: the share of the question's terms no chunk contains (see `QueryEvidence`);
 * - apart: the share in phrases the question writes as one thing ("Microsoft Office") and no chunk does: not a
 *   weight but a rule (see {@link confidenceScore}).
 * A logistic model maps them to a calibrated confidence. Its weights are fitted by `npm run fit` on every dev
 * dataset together (answerable questions vs off-topic and evidence-removed ones) and loaded from `fitted/`; the fit
 * weighs only the features whose scale does not depend on how questions are phrased (`FITTED_FEATURE_KEYS` in
 * `src/eval/fit-confidence.ts`), the others keep weight 0. The decision threshold is configurable
 * (ANSWER_MIN_CONFIDENCE).
 *
 * The features do not mean the same in every language: Chinese questions are segmented into words and character
 * bigrams, and a knowledge base of short, similar answers gives lower coverage, proximity and margin to answerable
 * questions than an English manual does. A per-language shift of the logit (`languageBias`, keyed by primary
 * language tag) lets one threshold give comparable false-refusal rates: for Chinese it was chosen on the zh-cs dev
 * set; the fit command now fits it with the other weights.
 */
export interface ConfidenceFeatures {
  coverage: number;
  passage: number;
  proximity: number;
  similarity: number;
  scaledSimilarity: number;
  margin: number;
  agreement: number;
  unseen: number;
  apart: number;
}

/** The features the logistic model weighs (`apart` is a rule of its own). */
export type WeightedFeature = Exclude<keyof ConfidenceFeatures, "apart">;

export type ConfidenceModel = { bias: number; languageBias?: Readonly<Record<string, number>> } & Record<WeightedFeature, number>;

export const DEFAULT_CONFIDENCE_MODEL: ConfidenceModel = {
  bias: -3.26, coverage: 1.21, passage: 1.71, proximity: 1.34, similarity: -0.3, scaledSimilarity: 0, margin: 1.71, agreement: 0.37, unseen: 0,
  languageBias: { zh: 0.7 },
};

export const FEATURE_KEYS: ReadonlyArray<WeightedFeature> = ["coverage", "passage", "proximity", "similarity", "scaledSimilarity", "margin", "agreement", "unseen"];

/**
 * Inverse document frequency of terms over the chunks of `collections` (undefined: every collection), ≥ 0; over those
 * of script family `family` (or without a language) only, when given.
 */
export type IdfLookup = (terms: readonly string[], collections?: readonly string[], family?: ScriptFamily) => Promise<Map<string, number>>;

const NONE: ConfidenceFeatures = { coverage: 0, passage: 0, proximity: 0, similarity: 0, scaledSimilarity: 0, margin: 0, agreement: 0, unseen: 1, apart: 0 };

/** `weights`: the IDF of the result's terms (over the collections the question covered). */
export function confidenceFeatures(result: RetrievalResult, weights: ReadonlyMap<string, number>): ConfidenceFeatures {
  const top = result.chunks[0];
  if (!top || result.terms.length === 0) return NONE;
  let total = 0;
  for (const t of result.terms) total += weights.get(t) ?? 0;
  const agreement = (top.bm25Rank ?? 99) <= 5 && (top.denseRank ?? 99) <= 5 ? 1 : 0;
  const similarity = Math.max(0, top.similarity ?? result.topSimilarity);
  return {
    coverage: top.lexical?.coverage ?? coverageOf(top, result.terms, weights, total),
    passage: total > 0 ? Math.min(1, (top.lexical?.passage ?? 0) / total) : 0,
    proximity: top.lexical?.proximity ?? 0,
    similarity,
    scaledSimilarity: scaledSimilarity(similarity, result.terms.length),
    margin: margin(result.chunks),
    agreement,
    unseen: result.queryEvidence?.unseen ?? 0,
    apart: result.queryEvidence?.apart ?? 0,
  };
}

/** Question length (distinct analyzer terms) at which {@link scaledSimilarity} equals the cosine. */
export const REFERENCE_TERMS = 9;

/**
 * The dense cosine rescaled by √(terms / {@link REFERENCE_TERMS}), capped at 1. A question's vector spreads its
 * weight over one feature per term, so with the same evidence in the chunk, the cosine falls like 1/√terms as the
 * question grows: customers' conversational questions to a PDF manual (10 terms on average) scored 0.31 on their
 * answerable questions, below tv-manual's questions whose section was removed (4 terms, 0.35), and a model fitted
 * without the PDF manuals refused 43% of them. On this per-question scale the cosine means the same for short and
 * long questions, and the model transfers between datasets (leave-one-dataset-out, `npm run fit`). The reference
 * length only sets the unit (the fit's small L2 penalty makes the unit matter a little; 9 ≈ the longest typical
 * question keeps the feature in [0, 1]).
 */
export function scaledSimilarity(similarity: number, terms: number): number {
  return Math.min(1, Math.max(0, similarity) * Math.sqrt(Math.max(1, terms) / REFERENCE_TERMS));
}

function coverageOf(chunk: ScoredChunk, terms: readonly string[], weights: ReadonlyMap<string, number>, total: number): number {
  const present = new Set(analyze([chunk.title, ...chunk.sectionPath, chunk.text].join("\n")));
  let covered = 0;
  for (const t of terms) if (present.has(t)) covered += weights.get(t) ?? 0;
  return total > 0 ? covered / total : 0;
}

/**
 * Relative lead of the top score over the next result (results hold one chunk per section). A lone result shows no
 * lead: with a narrow filter, having no competitor is not evidence of relevance.
 */
function margin(chunks: readonly ScoredChunk[]): number {
  const [top, next] = chunks;
  if (!top || !next || top.score <= 0) return 0;
  return Math.max(0, Math.min(1, (top.score - next.score) / top.score));
}

/**
 * The model's probability that the evidence answers the question; `language` (e.g. "zh", "zh-Hans") selects its bias.
 * A question naming as one thing what no document writes together (`apart` > 0: "Microsoft Office" to manuals that
 * mention Microsoft Windows and an office) asks about something the documents do not cover: 0, whatever the rest
 * says. A rule, not a weight: on the dev sets it holds for none of 1,297 answerable questions and for 6 of
 * pdf-manuals' 20 off-topic ones, and fitted as a weight it let a model fitted without tv-manual refuse 13 points
 * fewer of tv-manual's off-topic questions (its bias fell to suit pdf-manuals' off-topic names alone).
 */
export function confidenceScore(f: ConfidenceFeatures, model: ConfidenceModel = DEFAULT_CONFIDENCE_MODEL, language?: string): number {
  if (f.apart > 0) return 0;
  let z = model.bias + (language ? model.languageBias?.[primaryLanguage(language)] ?? 0 : 0);
  for (const key of FEATURE_KEYS) z += model[key] * f[key];
  return 1 / (1 + Math.exp(-z));
}
