import { idfOf } from "./idf.js";

/**
 * What the question's own terms say about answerability, beside how well the top result matches: `unseen` is the
 * IDF-weighted share of the question's distinct terms that no chunk contains ("Steam", "WireGuard" in a question to an
 * installation manual) — a question about something the documents never name. Weighted by IDF so that the common
 * words around it ("install", "Debian") count little. The IDF is taken as if the collection had at least
 * {@link MIN_EVIDENCE_CORPUS} chunks: in a collection of a handful of chunks, every word is rare and one everyday word
 * that happens to be missing ("often") would otherwise outweigh all the others.
 *
 * The share is also taken over the question's names alone (products, brands, versions: `questionNames`), and the
 * larger one counts. A name is what a question is about, so one the documents never mention decides it however many
 * of the other words they use: "the right way to install Docker Engine on Debian 12" shares "install", "right",
 * "engine", "Debian" and "12" with an installation manual, and "Docker" weighs only a quarter of its terms but more
 * than half of its names. Measured on the dev sets (off-topic vs answerable questions), the names' share separates
 * them better on every set and leaves the leave-one-dataset-out gap within 0.10 (`npm run fit`).
 */
export interface QueryEvidence {
  unseen: number;
}

export const MIN_EVIDENCE_CORPUS = 1000;

/** `names`: the question's name terms (see `questionNames`); only those among `terms` count. */
export function queryEvidence(terms: readonly string[], df: (term: string) => number, chunks: number, names: readonly string[] = []): QueryEvidence {
  const n = Math.max(chunks, MIN_EVIDENCE_CORPUS);
  const distinct = new Set(terms);
  const unseenShare = (among: Iterable<string>): number => {
    let total = 0;
    let unseen = 0;
    for (const t of among) {
      const d = df(t);
      const w = idfOf(d, n);
      total += w;
      if (d === 0) unseen += w;
    }
    return total > 0 ? unseen / total : 0;
  };
  return { unseen: Math.max(unseenShare(distinct), unseenShare(new Set(names.filter((t) => distinct.has(t))))) };
}
