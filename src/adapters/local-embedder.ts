import type { Embedder, TermWeightedQueryEmbedder } from "../ports/embedder.js";
import { analyze } from "../text/analyzer.js";
import { STARTS_CJK_RE } from "../text/cjk.js";

/**
 * Built-in embedder that needs no model weights and no network: signed feature hashing of analyzer terms,
 * adjacent-term pairs and character n-grams of each term, with sublinear term frequency, L2-normalised.
 * Character n-grams make it forgiving of inflection and typos ("pairing" ~ "paired", "wifi" ~ "wi-fi"),
 * which is what it adds to BM25 in hybrid retrieval. Deterministic: the same text always gives the same vector,
 * so stored vectors stay valid as the corpus grows (no corpus statistics such as IDF are baked in).
 */
export interface LocalEmbedderOptions {
  dimensions?: number;
  /** Weight of whole terms, term pairs and character n-grams. */
  weights?: { term: number; pair: number; ngram: number };
  /** Character n-gram sizes (inclusive). */
  ngramRange?: [number, number];
}

const DEFAULT_WEIGHTS = { term: 1, pair: 0.5, ngram: 0.35 };

export class LocalHashEmbedder implements Embedder, TermWeightedQueryEmbedder {
  readonly id = "local-hash-v1";
  readonly dimensions: number;
  private readonly weights: { term: number; pair: number; ngram: number };
  private readonly ngramRange: [number, number];

  constructor(options: LocalEmbedderOptions = {}) {
    this.dimensions = options.dimensions ?? 384;
    this.weights = options.weights ?? DEFAULT_WEIGHTS;
    this.ngramRange = options.ngramRange ?? [3, 4];
  }

  /** The options this embedder was built with: enough to build an identical one elsewhere (an ingest worker thread). */
  get options(): Required<LocalEmbedderOptions> {
    return { dimensions: this.dimensions, weights: { ...this.weights }, ngramRange: [...this.ngramRange] };
  }

  async embedDocuments(texts: string[]): Promise<Float32Array[]> {
    return texts.map((t) => this.embedSync(t));
  }

  async embedQuery(text: string): Promise<Float32Array> {
    return this.embedSync(text);
  }

  /** Query vector with each term's features scaled by `weight(term)` (pairs by the geometric mean). */
  embedQueryWeighted(text: string, weight: (term: string) => number): Float32Array {
    return this.embedSync(text, weight);
  }

  /** Synchronous form, for callers that batch in worker threads or benchmarks. */
  embedSync(text: string, weight?: (term: string) => number): Float32Array {
    const counts = this.featureCounts(analyze(text), weight);
    const vec = new Float32Array(this.dimensions);
    for (const [feature, { weight, tf }] of counts) {
      const h = fnv1a(feature);
      const sign = h & 0x80000000 ? -1 : 1;
      vec[h % this.dimensions]! += sign * weight * (1 + Math.log(tf));
    }
    return l2normalize(vec);
  }

  private featureCounts(terms: string[], termWeight: (term: string) => number = () => 1): Map<string, { weight: number; tf: number }> {
    const counts = new Map<string, { weight: number; tf: number }>();
    const bump = (feature: string, weight: number): void => {
      const c = counts.get(feature);
      if (c) c.tf += 1;
      else counts.set(feature, { weight, tf: 1 });
    };
    const [nMin, nMax] = this.ngramRange;
    const tw = terms.map((t) => Math.max(0, termWeight(t)));
    for (let i = 0; i < terms.length; i++) {
      const term = terms[i]!;
      bump(`w:${term}`, this.weights.term * tw[i]!);
      if (i > 0) bump(`p:${terms[i - 1]}_${term}`, this.weights.pair * Math.sqrt(tw[i - 1]! * tw[i]!));
      if (term.length <= nMin || STARTS_CJK_RE.test(term)) continue;
      const padded = `<${term}>`;
      for (let n = nMin; n <= nMax; n++) {
        for (let j = 0; j + n <= padded.length; j++) bump(`c:${padded.slice(j, j + n)}`, this.weights.ngram * tw[i]!);
      }
    }
    return counts;
  }
}

/** 32-bit FNV-1a over UTF-16 code units: fast and stable across platforms. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function l2normalize(vec: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < vec.length; i++) sum += vec[i]! * vec[i]!;
  if (sum === 0) return vec;
  const inv = 1 / Math.sqrt(sum);
  for (let i = 0; i < vec.length; i++) vec[i]! *= inv;
  return vec;
}
