import type { ChunkTermLists } from "../domain/chunk.js";

/**
 * What the question's own terms say about answerability, beside how well the top result matches:
 * - unseen: IDF-weighted share of the question's terms that no chunk contains ("Steam", "WireGuard" in a question to
 *   an installation manual): a question about something the documents never name;
 * - missing: the rarest question term absent from the first results, as its IDF relative to an unseen term's (1 =
 *   the most specific word of the question is nowhere in the evidence). Everyday words a customer adds ("older",
 *   "recommend") are common in any corpus and weigh little here, so paraphrases are not punished for them.
 * Both in [0, 1] and independent of the corpus size, so one fitted model serves small and large collections.
 */
export interface QueryEvidence {
  unseen: number;
  missing: number;
}

/** Results whose terms count as "the evidence" for `missing`. */
export const EVIDENCE_DEPTH = 3;

export function queryEvidence(terms: readonly string[], idf: ReadonlyMap<string, number>, unseenIdf: number, top: readonly ChunkTermLists[]): QueryEvidence {
  if (terms.length === 0 || !(unseenIdf > 0)) return { unseen: 0, missing: 0 };
  const present = new Set<string>();
  for (const c of top) {
    for (const t of c.titleTokens) present.add(t);
    for (const t of c.bodyTokens) present.add(t);
  }
  let total = 0;
  let unseen = 0;
  let missing = 0;
  for (const t of new Set(terms)) {
    const w = idf.get(t) ?? 0;
    total += w;
    if (w >= unseenIdf - 1e-9) unseen += w;
    if (!present.has(t)) missing = Math.max(missing, Math.min(1, w / unseenIdf));
  }
  return { unseen: total > 0 ? unseen / total : 0, missing };
}
