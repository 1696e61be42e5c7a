import type { Chunk, ChunkTermLists } from "../domain/chunk.js";
import { analyze } from "./analyzer.js";

/**
 * The one definition of a chunk's analyzer terms: what ingestion stores for BM25 and what re-ranking reads back, so
 * stored and freshly computed terms never differ.
 */
export function chunkTerms(chunk: Pick<Chunk, "title" | "sectionPath" | "text">): ChunkTermLists {
  return { titleTokens: analyze([chunk.title, ...chunk.sectionPath].join(" ")), bodyTokens: analyze(chunk.text) };
}
