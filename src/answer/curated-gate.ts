import type { RetrievalResult } from "../retrieval/retrieve.js";
import { analyze, queryTerms } from "../text/analyzer.js";
import { CJK_HANGUL_CHARS } from "../text/cjk.js";
import { unsupportedOperators } from "./curated-operators.js";

const CJK_RE = new RegExp(`[${CJK_HANGUL_CHARS}]`, "u");

/**
 * The curated question's words, each as the analyzer's terms for it: "gadget's" gives ["gadget", "s", "gadgets"], one
 * word that the asked question shares when it has any of them. CJK text has no spaces: each of its terms (words and
 * character bigrams) stands alone.
 */
export function questionWords(question: string): string[][] {
  const words: string[][] = [];
  for (const token of question.split(/\s+/)) {
    const terms = queryTerms(token);
    if (terms.length === 0) continue;
    if (CJK_RE.test(token)) terms.forEach((t) => words.push([t]));
    else words.push(terms);
  }
  return words;
}

/**
 * Least IDF-weighted share of a curated answer's question terms that the asked question must contain for the curated
 * answer to count as evidence (see `keepAgreeingCurated`). Chosen on the tv-manual paraphrase measurement
 * (`npm run eval-curated`, /work/plan/readme-curated.md): it separates a paraphrase, which keeps the curated
 * question's rare terms, from a near miss, which drops or changes one of them ("unpair" is not "pair").
 */
export const DEFAULT_CURATED_AGREEMENT = 0.7;

/**
 * The words of a curated question that say what it is about: those its answer also uses ("pair", "remote" when the
 * answer says how the remote is paired). Words only in the question are how it was phrased ("steps", "explain",
 * "fix this") and are not required of a paraphrase. When the answer shares no word with the question, every word is.
 */
export function topicWords(question: string, answer: string): string[][] {
  const words = questionWords(question);
  const used = new Set(analyze(answer));
  const topic = words.filter((w) => w.some((t) => used.has(t)));
  return topic.length > 0 ? topic : words;
}

/**
 * How far the asked question agrees with a curated answer's question on what distinguishes it: the IDF-weighted share
 * of the curated question's words that the asked question also has (0..1); a word weighs its rarest term's IDF and is
 * shared when the asked question has any of its terms. Rare words weigh the most, so a question that shares only the
 * common words ("remote") while lacking the rare one ("pair") scores low. Terms are the analyzer's (stems, Chinese
 * words and bigrams), never raw strings.
 */
export function questionAgreement(asked: ReadonlySet<string>, curatedWords: readonly string[][], weights: ReadonlyMap<string, number>): number {
  let total = 0;
  let shared = 0;
  const seen = new Set<string>();
  for (const word of curatedWords) {
    const key = word.join("\u0000");
    if (seen.has(key)) continue;
    seen.add(key);
    const w = Math.max(0, ...word.map((t) => weights.get(t) ?? 0));
    total += w;
    if (word.some((t) => asked.has(t))) shared += w;
  }
  return total > 0 ? shared / total : 0;
}

/**
 * A curated answer answers *its* question. Retrieval finds it through its text — the question is indexed with the
 * answer, in the title field and the embedding — so a near miss that shares most words can rank it first and look
 * well covered. Before answerability is judged, a curated chunk is taken out of the evidence, exactly as if it had
 * not been retrieved, when the asked question
 * - drops or changes a distinguishing word ("unpair" after an answer about pairing): it does not agree with the
 *   curated question on its topic words (`topicWords`; `questionAgreement` below `minAgreement`), or
 * - keeps every word and adds one that reverses it ("cancel the pairing", "why does it not pair"): it has an operator
 *   the curated question and answer do not use (`unsupportedOperators`; skipped when `checkOperators` is false).
 * Everything else (confidence, composition) then decides as for any source.
 */
export async function keepAgreeingCurated(
  result: RetrievalResult,
  idf: (terms: readonly string[]) => Map<string, number> | Promise<Map<string, number>>,
  minAgreement: number,
  checkOperators = true,
): Promise<RetrievalResult> {
  const curated = result.chunks.filter((c) => c.sourceType === "curated");
  if (curated.length === 0) return result;
  const asked = new Set(result.terms);
  const sides = new Map(curated.map((c) => [c.id, topicWords(c.title, c.text)]));
  const weights = await idf([...new Set([...sides.values()].flat(2))]);
  const agrees = (c: (typeof curated)[number]): boolean =>
    questionAgreement(asked, sides.get(c.id) ?? [], weights) >= minAgreement &&
    (!checkOperators || unsupportedOperators(result.query, c.title, c.text).length === 0);
  return { ...result, chunks: result.chunks.filter((c) => c.sourceType !== "curated" || agrees(c)) };
}
