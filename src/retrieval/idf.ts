import type { DocumentStore } from "../ports/document-store.js";

/** BM25's inverse document frequency of each term over the store's chunks (≥ 0; unseen terms weigh the most). */
export function bm25Idf(store: Pick<DocumentStore, "termStats">, terms: readonly string[]): Map<string, number> {
  const { chunks, df } = store.termStats(terms);
  const idf = new Map<string, number>();
  for (const t of terms) {
    const n = df.get(t) ?? 0;
    idf.set(t, Math.log(1 + (chunks - n + 0.5) / (n + 0.5)));
  }
  return idf;
}
