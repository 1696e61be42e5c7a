import type { DocumentStore } from "../ports/document-store.js";

/** BM25's IDF of a term found in `df` of `chunks` chunks (≥ 0; an unseen term weighs the most). */
export function idfOf(df: number, chunks: number): number {
  return Math.log(1 + (chunks - df + 0.5) / (df + 0.5));
}

/** BM25's inverse document frequency of each term over the store's chunks (≥ 0; unseen terms weigh the most). */
export function bm25Idf(store: Pick<DocumentStore, "termStats">, terms: readonly string[]): Map<string, number> {
  return bm25Stats(store, terms).idf;
}

/** The IDF and document frequency of each term. */
export function bm25Stats(store: Pick<DocumentStore, "termStats">, terms: readonly string[]): { idf: Map<string, number>; df: Map<string, number>; chunks: number } {
  const { chunks, df } = store.termStats(terms);
  const idf = new Map<string, number>();
  for (const t of terms) idf.set(t, idfOf(df.get(t) ?? 0, chunks));
  return { idf, df, chunks };
}
