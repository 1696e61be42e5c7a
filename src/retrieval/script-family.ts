import type { ChunkTerms } from "../domain/chunk.js";
import { quotableIn, type ScriptFamily } from "../text/language.js";
import type { CandidateSource, RetrievalContext, SourceHit } from "./stages.js";

/**
 * Every source's hits without the chunks in another script family than `family` (see `quotableIn`), before they are
 * pooled: a reply that quotes can use no other, so ranks, fused scores and the confidence evidence (coverage, margin,
 * agreement of the first five) are those of the chunks it may quote, as if the collection held only them. Without
 * this, English manuals that share a name with a Chinese question ("crontab") took the first ranks, the margin and
 * coverage were theirs, and the Chinese passage the reply quoted was refused. Ranks are renumbered among what is
 * kept; a chunk deleted since the search (no stored terms) is left for the pool to drop. The stored terms read here
 * are returned for the pool, which would otherwise read them again.
 */
export async function keepScriptFamily(
  ctx: RetrievalContext,
  hits: ReadonlyMap<CandidateSource["name"], SourceHit[]>,
  family: ScriptFamily,
): Promise<{ hits: Map<CandidateSource["name"], SourceHit[]>; stored: Map<string, ChunkTerms> }> {
  const ids = [...new Set([...hits.values()].flatMap((list) => list.map((h) => h.chunkId)))];
  const stored = ids.length > 0 ? await ctx.store.getChunkTerms(ids) : new Map<string, ChunkTerms>();
  const keep = (h: SourceHit): boolean => quotableIn(family, stored.get(h.chunkId)?.language);
  return { hits: new Map([...hits].map(([name, list]) => [name, list.filter(keep)])), stored };
}
