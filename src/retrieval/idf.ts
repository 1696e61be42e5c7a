import type { ScriptFamily } from "../domain/chunk.js";
import type { KeywordIndex } from "../ports/keyword-index.js";

/** BM25's IDF of a term found in `df` of `chunks` chunks (≥ 0; an unseen term weighs the most). */
export function idfOf(df: number, chunks: number): number {
  return Math.log(1 + (chunks - df + 0.5) / (df + 0.5));
}

/**
 * BM25's inverse document frequency of each term over the chunks of `collections` (undefined: every collection; of
 * script family `family` only, when given), ≥ 0; unseen terms weigh the most.
 */
export async function bm25Idf(
  keywords: Pick<KeywordIndex, "stats">, terms: readonly string[], collections?: readonly string[], family?: ScriptFamily,
): Promise<Map<string, number>> {
  return (await bm25Stats(keywords, terms, collections, family)).idf;
}

/** The IDF and document frequency of each term over the chunks of `collections` (of script family `family`, when given). */
export async function bm25Stats(
  keywords: Pick<KeywordIndex, "stats">, terms: readonly string[], collections?: readonly string[], family?: ScriptFamily,
): Promise<{ idf: Map<string, number>; df: Map<string, number>; chunks: number; all?: { idf: Map<string, number>; df: Map<string, number>; chunks: number } }> {
  const stats = await keywords.stats(terms, collections, family);
  const withIdf = ({ chunks, df }: { chunks: number; df: Map<string, number> }) => ({ idf: new Map(terms.map((t) => [t, idfOf(df.get(t) ?? 0, chunks)])), df, chunks });
  return stats.all ? { ...withIdf(stats), all: withIdf(stats.all) } : withIdf(stats);
}
