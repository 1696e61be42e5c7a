import { idfOf } from "./idf.js";

/**
 * What the question's own terms say about answerability, beside how well the top result matches: `unseen` is the
 * IDF-weighted share of the question's distinct terms that no chunk contains ("Steam", "WireGuard" in a question to an
 * installation manual) — a question about something the documents never name. Weighted by IDF so that the common
 * words around it ("install", "Debian") count little. The IDF is taken as if the collection had at least
 * {@link MIN_EVIDENCE_CORPUS} chunks: in a collection of a handful of chunks, every word is rare and one everyday word
 * that happens to be missing ("often") would otherwise outweigh all the others.
 */
export interface QueryEvidence {
  unseen: number;
}

export const MIN_EVIDENCE_CORPUS = 1000;

export function queryEvidence(terms: readonly string[], df: (term: string) => number, chunks: number): QueryEvidence {
  const n = Math.max(chunks, MIN_EVIDENCE_CORPUS);
  let total = 0;
  let unseen = 0;
  for (const t of new Set(terms)) {
    const d = df(t);
    const w = idfOf(d, n);
    total += w;
    if (d === 0) unseen += w;
  }
  return { unseen: total > 0 ? unseen / total : 0 };
}
