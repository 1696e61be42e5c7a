import { analyze } from "../text/analyzer.js";
import type { RetrievalResult } from "./retrieve.js";

/**
 * Answerability from retrieval evidence alone, before any text is composed. Features, each in [0,1]:
 * - coverage: IDF-weighted share of the question's terms found in the best evidence (title, section, text);
 * - similarity: cosine similarity of the best dense hit;
 * - agreement: whether BM25 and dense both rank the top chunk among their first five.
 * A logistic model maps them to a calibrated confidence; its weights were fitted on an evaluation split
 * (see README, "Answerability"), and the decision threshold is configurable (ANSWER_MIN_CONFIDENCE).
 */
export interface ConfidenceModel {
  bias: number;
  coverage: number;
  similarity: number;
  agreement: number;
}

export const DEFAULT_CONFIDENCE_MODEL: ConfidenceModel = { bias: -6, coverage: 7, similarity: 3, agreement: 1 };

export interface ConfidenceFeatures {
  coverage: number;
  similarity: number;
  agreement: number;
}

/** Inverse document frequency of a term in the indexed corpus (≥ 0). */
export type IdfLookup = (terms: readonly string[]) => Map<string, number>;

export function confidenceFeatures(result: RetrievalResult, idf: IdfLookup, evidence = 2): ConfidenceFeatures {
  const top = result.chunks[0];
  if (!top || result.terms.length === 0) return { coverage: 0, similarity: 0, agreement: 0 };
  const weights = idf(result.terms);
  const present = new Set<string>();
  for (const chunk of result.chunks.slice(0, evidence)) {
    for (const t of analyze([chunk.title, ...chunk.sectionPath, chunk.text].join("\n"))) present.add(t);
  }
  let total = 0;
  let covered = 0;
  for (const term of result.terms) {
    const w = weights.get(term) ?? 0;
    total += w;
    if (present.has(term)) covered += w;
  }
  const agreement = (top.bm25Rank ?? 99) <= 5 && (top.denseRank ?? 99) <= 5 ? 1 : 0;
  return { coverage: total > 0 ? covered / total : 0, similarity: Math.max(0, top.similarity ?? result.topSimilarity), agreement };
}

export function confidenceScore(f: ConfidenceFeatures, model: ConfidenceModel = DEFAULT_CONFIDENCE_MODEL): number {
  const z = model.bias + model.coverage * f.coverage + model.similarity * f.similarity + model.agreement * f.agreement;
  return 1 / (1 + Math.exp(-z));
}
