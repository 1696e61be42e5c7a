import type { ScriptFamily } from "../domain/chunk.js";
import type { KeywordIndex } from "../ports/keyword-index.js";
import { isTermWeightedQueryEmbedder, type Embedder } from "../ports/embedder.js";
import { analyze } from "../text/analyzer.js";
import { bm25Stats } from "./idf.js";

/**
 * What is computed about one question and reused by every stage that needs it (retrieval, confidence, triage's
 * ticket search): IDF per term and query vectors per text. Lives for one question only — the store may change
 * between questions — so it is created per request, never kept in a module.
 *
 * `family`, where a method takes it, narrows the statistics to the chunks of that script family (or without a
 * language): those an extractive reply may quote (see `quotableIn`), weighed as if the collection held only them.
 */
export interface QueryMemo {
  /**
   * BM25 IDF of `terms` over the chunks of `collections` (undefined: every collection); each term looked up at most
   * once per question and scope.
   */
  idf(terms: readonly string[], collections?: readonly string[], family?: ScriptFamily): Promise<Map<string, number>>;
  /** Chunks of `collections` holding `term` (known for terms already passed to `idf` with that scope; else undefined). */
  df(term: string, collections?: readonly string[], family?: ScriptFamily): number | undefined;
  /** Chunks of `collections` at the first `idf` lookup with that scope (0 before). */
  chunks(collections?: readonly string[], family?: ScriptFamily): number;
  /**
   * The query vector of `text` (weighted by the IDF over `collections` when `weighted` and the embedder supports it);
   * embedded once per text (and scope, when weighted).
   */
  embed(text: string, weighted?: boolean, collections?: readonly string[], family?: ScriptFamily): Promise<Float32Array>;
  /** How many times the embedder and the IDF were actually consulted (for tests and timings). */
  readonly stats: { embeds: number; idfLookups: number };
}

export interface QueryMemoDeps {
  keywords: Pick<KeywordIndex, "stats">;
  embedder: Embedder;
}

export function createQueryMemo(deps: QueryMemoDeps): QueryMemo {
  const idfCache = new Map<string, number>();
  const dfCache = new Map<string, number>();
  const chunkCounts = new Map<string, number>();
  const scopeOf = (collections?: readonly string[], family?: ScriptFamily): string =>
    `${collections && collections.length > 0 ? JSON.stringify([...new Set(collections)].sort()) : "*"}${family ? `\u0000${family}` : ""}`;
  const vectors = new Map<string, Promise<Float32Array>>();
  const stats = { embeds: 0, idfLookups: 0 };
  const remember = (scope: string, terms: readonly string[], found: { idf: Map<string, number>; df: Map<string, number>; chunks: number }): void => {
    for (const t of terms) {
      idfCache.set(`${scope}\u0000${t}`, found.idf.get(t) ?? 0);
      dfCache.set(`${scope}\u0000${t}`, found.df.get(t) ?? 0);
    }
    if (!chunkCounts.get(scope)) chunkCounts.set(scope, found.chunks);
  };
  const idf = async (terms: readonly string[], collections?: readonly string[], family?: ScriptFamily): Promise<Map<string, number>> => {
    const scope = scopeOf(collections, family);
    const key = (t: string): string => `${scope}\u0000${t}`;
    const missing = [...new Set(terms.filter((t) => !idfCache.has(key(t))))];
    if (missing.length > 0) {
      stats.idfLookups++;
      const found = await bm25Stats(deps.keywords, missing, collections, family);
      remember(scope, missing, found);
      // The whole scope's statistics come with a family's: retrieval asks for both (see `holdsOtherFamily`).
      if (found.all) remember(scopeOf(collections), missing.filter((t) => !idfCache.has(`${scopeOf(collections)}\u0000${t}`)), found.all);
    }
    return new Map(terms.map((t) => [t, idfCache.get(key(t)) ?? 0]));
  };
  const embed = (text: string, weighted = false, collections?: readonly string[], family?: ScriptFamily): Promise<Float32Array> => {
    const { embedder } = deps;
    const useWeights = weighted && isTermWeightedQueryEmbedder(embedder);
    const key = `${useWeights ? `w${scopeOf(collections, family)}` : "u"}\u0000${text}`;
    let v = vectors.get(key);
    if (!v) {
      stats.embeds++;
      v = useWeights && isTermWeightedQueryEmbedder(embedder)
        ? idf([...new Set(analyze(text))], collections, family).then((w) => embedder.embedQueryWeighted(text, (t) => w.get(t) ?? 0))
        : embedder.embedQuery(text);
      vectors.set(key, v);
      // A failed embedding is not cached: the next stage may retry.
      v.catch(() => vectors.delete(key));
    }
    return v;
  };
  return {
    idf,
    df: (term, collections, family) => dfCache.get(`${scopeOf(collections, family)}\u0000${term}`),
    chunks: (collections, family) => chunkCounts.get(scopeOf(collections, family)) ?? 0,
    embed,
    stats,
  };
}
