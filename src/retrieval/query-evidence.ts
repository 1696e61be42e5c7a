import { analyze } from "../text/analyzer.js";
import { idfOf } from "./idf.js";

/**
 * What the question's own terms say about answerability, beside how well the top result matches: `unseen` is the
 * IDF-weighted share of the question's distinct terms that no chunk contains ("Steam", "WireGuard" in a question to an
 * installation manual) — a question about something the documents never name. Weighted by IDF so that the common
 * words around it ("install", "Debian") count little. The IDF is taken as if the collection had at least
 * {@link MIN_EVIDENCE_CORPUS} chunks: in a collection of a handful of chunks, every word is rare and one everyday word
 * that happens to be missing ("often") would otherwise outweigh all the others.
 *
 * A name weighs twice: once as a term and once as a name (products, brands, versions: `questionNames`). A name is
 * what a question is about, so one the documents never mention says more than an everyday word they lack: "the right
 * way to install Docker Engine on Debian 12" shares "install", "right", "engine", "Debian" and "12" with an
 * installation manual, and "Docker" alone would weigh a quarter of its terms. Counted twice, not as the share over
 * the names alone: a question naming one thing besides "Debian" would then count as wholly unseen, and answerable
 * questions that name the customer's own setup ("from my running Fedora system") would be refused (tried: it also
 * moved the tv-manual leave-one-dataset-out gap past 0.10). The terms of one written word count once: the analyzer
 * turns "chmod'ing" into three terms, which tripled the weight of one unknown word in answerable questions. Measured
 * with `npm run fit` (refitted) against the plain share: wrong refusal falls on all three dev sets and correct
 * refusal holds or rises; the leave-one-dataset-out gaps stay within 0.10.
 *
 * One plain word no chunk holds, alone in a question of at least {@link LONE_WORD_MIN_WORDS} written words, is not
 * counted (see {@link isLoneWord}): in a long question it is the customer's story ("I found an old CD in a drawer"),
 * a slip or a spelling the documents do not use ("colour"), more often than what the question is about.
 *
 * A phrase the question writes as one thing and the documents never write together counts as unseen though each of
 * its words is seen ("Microsoft Office" to a manual naming Microsoft Windows and an office; see `phrasesApart`): on
 * pdf-manuals, with the fitted model unchanged, unanswerable refused 0.70 → 0.85 at the same wrong refusal.
 */
export interface QueryEvidence {
  unseen: number;
  /**
   * The share of the question's weight in phrases it writes as one thing that the documents never write together
   * (`phrasesApart`), their words seen apart. Not part of `unseen`: weighed by the fitted model (folded into `unseen`
   * or as a weight of its own) it moved the bias for every question, and the leave-one-dataset-out gap on tv-manual
   * went over 0.10 (0.11–0.13); `confidenceScore` takes any of it as a refusal instead.
   */
  apart: number;
}

export const MIN_EVIDENCE_CORPUS = 1000;

/** What the question writes: its name terms (see `questionNames`) and the terms of each word written with joiners. */
export interface QuestionWords {
  names?: readonly string[];
  compounds?: ReadonlyArray<readonly string[]>;
  /**
   * The terms of each phrase the question writes as one thing (a name of several words, a joined word) that the
   * documents never write together (`phrasesApart`): their weight is `QueryEvidence.apart`.
   */
  phrasesApart?: ReadonlyArray<readonly string[]>;
  /**
   * CJK bigrams that straddle two words of the question, with their neighbours (`cjkBridges`): one no chunk contains
   * beside a neighbour some chunk does joins two words, and is left out of the evidence rather than counted unseen.
   */
  bridges?: ReadonlyArray<{ term: string; neighbours: readonly string[] }>;
}

/**
 * Words asking for the reverse of something ("How do I undo that (lock a user's account)?", 那怎么撤销？): they say
 * how the question relates to its topic, while a manual words the reverse action itself ("unlock", "the -u option",
 * "unhold"). One no chunk holds is left out of the evidence, as a CJK bridge is, rather than counted unseen: the
 * Debian Handbook never writes "undo", and trial 11's "How do I undo that?" after locking an account was refused
 * (0.10) although "How do I unlock a user account?" is answered (0.60). Seen, such a word counts as any other.
 */
const REVERSAL_TERMS: ReadonlySet<string> = new Set(analyze("undo undone undoing revert reverted reverse reversed reversing opposite 撤销 撤消"));

/** Whether `term` (analyzed) is a word asking for the reverse of something (see {@link REVERSAL_TERMS}). */
export function isReversalTerm(term: string): boolean {
  return REVERSAL_TERMS.has(term);
}

/**
 * `words.names` weigh twice (only those among `terms` count). The terms of one written word (`words.compounds`) count
 * once, with the largest weight among them, and as unseen only when none of them is seen: "chmod'ing" is one word the
 * customer wrote, not three unseen terms, and "long-term" is seen when the documents write "long term".
 * A lone plain unseen word in a long question is not counted (see {@link isLoneWord}).
 */
export function queryEvidence(terms: readonly string[], df: (term: string) => number, chunks: number, words: QuestionWords = {}): QueryEvidence {
  const n = Math.max(chunks, MIN_EVIDENCE_CORPUS);
  const named = new Set(words.names ?? []);
  const apart = new Set((words.phrasesApart ?? []).flat());
  const bridges = new Map((words.bridges ?? []).map((b) => [b.term, b.neighbours]));
  const joinsWords = (t: string): boolean => df(t) === 0 && (bridges.get(t) ?? []).some((n) => df(n) > 0);
  // A CJK bigram straddling two words is no written word of the question: left out before the lone-word count too.
  // A reversal word no chunk holds is no topic of the question either (see REVERSAL_TERMS).
  const relation = (unit: readonly string[]): boolean => unit.every((t) => isReversalTerm(t) && df(t) === 0);
  const units = writtenWords(terms, words.compounds ?? []).filter((unit) => !(unit.length === 1 && joinsWords(unit[0]!)) && !relation(unit));
  const unseenUnits = units.filter((unit) => unit.every((t) => df(t) === 0));
  const forgiven = isLoneWord(units.length, unseenUnits.map((unit) => unit.some((t) => named.has(t))));
  let total = 0;
  let unseen = 0;
  let apartWeight = 0;
  for (const unit of units) {
    const w = Math.max(...unit.map((t) => idfOf(df(t), n))) * (unit.some((t) => named.has(t)) ? 2 : 1);
    total += w;
    if (unit.every((t) => df(t) === 0)) unseen += forgiven ? 0 : w;
    else if (unit.some((t) => apart.has(t))) apartWeight += w;
  }
  return total > 0 ? { unseen: unseen / total, apart: apartWeight / total } : { unseen: 0, apart: 0 };
}

/**
 * Written words a question must have for one unseen plain word among them not to count (see {@link isLoneWord}).
 * On the dev sets' answerable questions holding exactly one unseen plain word, the question had 3–9 written words on
 * tv-manual (mostly 4–6: short questions, where the word is often the topic — a held-out section's "gamma"), 8–12 on
 * pdf-manuals' conversational ones; 5 to 8 all answer the same pdf-manuals questions (see the README notes).
 */
export const LONE_WORD_MIN_WORDS = 6;

/**
 * Whether the question's unseen words are one plain word (not a name) in a question of at least
 * {@link LONE_WORD_MIN_WORDS} written words. Such a word is as often the customer's story ("in a drawer", "get rid
 * of"), a slip ("wich") or another spelling ("colour") as the thing asked about, while a question about something
 * the documents do not cover names it (an unseen name still counts) or shows it in several unseen words: tv-manual's
 * off-topic questions hold two or more in 95 of 100, its answerable ones never more than one. Counted by written
 * words (a CJK question's terms are its units), so it reads the same in every language.
 * `unseenNamed`: for each unseen written word, whether it is a name.
 */
export function isLoneWord(words: number, unseenNamed: readonly boolean[]): boolean {
  return unseenNamed.length === 1 && !unseenNamed[0] && words >= LONE_WORD_MIN_WORDS;
}

/** The distinct `terms` grouped by the word they were written in: a compound's terms together, every other term alone. */
function writtenWords(terms: readonly string[], compounds: ReadonlyArray<readonly string[]>): string[][] {
  const distinct = new Set(terms);
  const grouped = new Set<string>();
  const units: string[][] = [];
  for (const compound of compounds) {
    const unit = compound.filter((t) => distinct.has(t) && !grouped.has(t));
    if (unit.length === 0) continue;
    unit.forEach((t) => grouped.add(t));
    units.push(unit);
  }
  for (const t of distinct) if (!grouped.has(t)) units.push([t]);
  return units;
}
