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
