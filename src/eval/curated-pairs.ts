import { queryTerms } from "../text/analyzer.js";
import type { EvalQuestion } from "./dataset.js";
import { seededRandom } from "./metrics.js";

type Answered = EvalQuestion & { answer: string };

/** One measurement case: curate `curated` (its reference answer), then ask `other` and two unrelated questions. */
export interface CuratedCase {
  /** The question written as a curated answer, with its reference answer as the answer text. */
  curated: Answered;
  /** Another question of the same gold section. */
  other: EvalQuestion;
  /** The question of another section sharing the most IDF-weighted terms with `curated` (a hard negative). */
  nearest: EvalQuestion;
  /** A seeded random question of another section. */
  random: EvalQuestion;
  /**
   * The curated question with one meaning-changing word added and every word kept ("How do I cancel pair the
   * remote…"): a near miss that answering from the curated answer gets wrong (see `addWord`).
   */
  addsWord: EvalQuestion;
  /** The word `addsWord` adds (one of `NEAR_MISS_OPERATORS`). */
  operator: string;
}

/**
 * Operators that change what a question asks for while keeping its words: reversal, prevention, negation. Used to
 * *build* the measurement's "adds a word" near misses only; the gate knows no list of words (it judges any word of
 * the question that the curated question and answer do not support), so these are held-out probes, not its rules.
 */
export const NEAR_MISS_OPERATORS: readonly string[] = ["cancel", "undo", "disable", "stop", "remove", "reset", "prevent", "delete", "not", "without"];

/**
 * The question with `operator` inserted before its first content word (the first word with analyzer terms), every
 * other word kept: "How do I pair the remote?" + "cancel" gives "How do I cancel pair the remote?". Retrieval and
 * the gate see terms, not word order, so the clumsy grammar does not matter to what is measured.
 */
export function addWord(question: string, operator: string): string {
  const words = question.split(/(\s+)/);
  const at = words.findIndex((w) => w.trim() !== "" && queryTerms(w).length > 0);
  if (at < 0) return `${operator} ${question}`;
  words.splice(at, 0, operator, " ");
  return words.join("");
}

/**
 * - `paraphrase`: a question the dataset marks `paraphrased` and the question of the same gold section with the same
 *   reference answer (answer words' Jaccard ≥ 0.8): the same question asked in other words.
 * - `same-section`: the first two other questions of a gold section (different questions about one section; quoting
 *   the first's answer for the second is not necessarily right, so this shows reach, not accuracy).
 */
export type PairKind = "paraphrase" | "same-section";

const words = (s: string): Set<string> => new Set(s.toLowerCase().split(/\s+/).filter(Boolean));
function jaccard(a: string, b: string): number {
  const x = words(a);
  const y = words(b);
  let shared = 0;
  for (const w of x) if (y.has(w)) shared++;
  return shared / Math.max(1, x.size + y.size - shared);
}
const disjoint = (a: readonly string[], b: readonly string[]): boolean => !a.some((x) => b.includes(x));

/** Pairs sharing a gold section (`gold[0]`): the first of each is curated, the second asked. See `PairKind`. */
export function sectionPairs(questions: readonly EvalQuestion[], kind: PairKind): Array<[Answered, Answered]> {
  const usable = questions.filter((q): q is Answered => q.answerable && q.gold.length > 0 && (q.answer ?? "").trim() !== "");
  const bySection = new Map<string, Answered[]>();
  for (const q of usable) bySection.set(q.gold[0]!, [...(bySection.get(q.gold[0]!) ?? []), q]);
  const pairs: Array<[Answered, Answered]> = [];
  for (const group of bySection.values()) {
    const originals = group.filter((q) => q.kind !== "paraphrased");
    if (kind === "same-section") {
      // Questions that restate another are left out: this kind is about different questions.
      const distinct = originals.filter((q) => !group.some((p) => p.kind === "paraphrased" && jaccard(p.answer, q.answer) >= 0.8));
      if (distinct.length >= 2) pairs.push([distinct[0]!, distinct[1]!]);
      continue;
    }
    for (const p of group.filter((q) => q.kind === "paraphrased")) {
      const original = originals.find((q) => jaccard(q.answer, p.answer) >= 0.8);
      if (original) pairs.push([original, p]);
    }
  }
  return pairs;
}

/**
 * The measurement cases of `kind`, each with two unrelated questions whose gold sections are disjoint from the pair's
 * (the lexically nearest to the curated question by `overlap`, and a seeded random one) and the curated question with
 * a seeded operator added (`addWord`).
 */
export function curatedCases(questions: readonly EvalQuestion[], kind: PairKind, overlap: (a: EvalQuestion, b: EvalQuestion) => number, seed: number): CuratedCase[] {
  const candidates = questions.filter((q) => q.answerable && q.gold.length > 0);
  const rand = seededRandom(seed);
  // Its own stream, so the random unrelated questions stay those of earlier measurements.
  const pick = seededRandom(seed + 7919);
  return sectionPairs(questions, kind).flatMap(([curated, other]): CuratedCase[] => {
    const others = candidates.filter((q) => disjoint(q.gold, curated.gold) && disjoint(q.gold, other.gold));
    if (others.length === 0) return [];
    let nearest = others[0]!;
    let best = -1;
    for (const q of others) {
      const s = overlap(curated, q);
      if (s > best) (best = s), (nearest = q);
    }
    const random = others[Math.floor(rand() * others.length)]!;
    const operator = NEAR_MISS_OPERATORS[Math.floor(pick() * NEAR_MISS_OPERATORS.length)]!;
    const addsWord = { ...curated, id: `${curated.id}+${operator}`, question: addWord(curated.question, operator), kind: "adds-a-word" };
    return [{ curated, other, nearest, random, addsWord, operator }];
  });
}
