/**
 * Turns text into fixed-size vectors. Implementations: the built-in local embedder (no weights, no network)
 * and OpenAI-compatible endpoints through LangChain.
 */
export interface Embedder {
  /** Identity recorded in the store, e.g. `local-hash-v1` or `openai:text-embedding-3-small`. */
  readonly id: string;
  readonly dimensions: number;
  /** Embeds passages for indexing. Output vectors are L2-normalised, one per input, same order. */
  embedDocuments(texts: string[]): Promise<Float32Array[]>;
  /** Embeds a query (some models embed queries differently from passages). */
  embedQuery(text: string): Promise<Float32Array>;
}

/**
 * Optional capability: an embedder whose query vectors can weight each term, e.g. by the corpus IDF the retriever
 * knows: document vectors stay corpus-independent while "hdmi" outweighs "tv" in the query. Vectors stay comparable
 * with plain ones.
 */
export interface TermWeightedQueryEmbedder {
  embedQueryWeighted(text: string, weight: (term: string) => number): Float32Array;
}

/** Whether `embedder` has the {@link TermWeightedQueryEmbedder} capability. */
export function isTermWeightedQueryEmbedder(embedder: object): embedder is TermWeightedQueryEmbedder {
  return typeof (embedder as Partial<TermWeightedQueryEmbedder>).embedQueryWeighted === "function";
}
