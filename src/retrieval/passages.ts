/** Overlapping windows of `size` tokens every `stride` tokens; a short text is its own single window. */
export function windows(tokens: readonly string[], size: number, stride: number): Array<readonly string[]> {
  if (tokens.length <= size) return [tokens];
  const out: Array<readonly string[]> = [];
  for (let start = 0; ; start += stride) {
    out.push(tokens.slice(start, start + size));
    if (start + size >= tokens.length) break;
  }
  return out;
}

export interface Bm25Params {
  k1: number;
  b: number;
}

/** Term frequencies of the query terms only (everything else is irrelevant to BM25). */
export function queryTermFrequencies(terms: ReadonlySet<string>, ...parts: ReadonlyArray<readonly string[]>): Map<string, number> {
  const tf = new Map<string, number>();
  for (const part of parts) for (const t of part) if (terms.has(t)) tf.set(t, (tf.get(t) ?? 0) + 1);
  return tf;
}

/** Okapi BM25 of one text given its query-term frequencies and length. */
export function bm25(tf: ReadonlyMap<string, number>, length: number, avgLength: number, idf: ReadonlyMap<string, number>, p: Bm25Params): number {
  let score = 0;
  const norm = p.k1 * (1 - p.b + (p.b * length) / Math.max(1, avgLength));
  for (const [term, f] of tf) score += ((idf.get(term) ?? 0) * f * (p.k1 + 1)) / (f + norm);
  return score;
}
