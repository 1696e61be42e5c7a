import { LEAD_OUT_END_RE, ROW_RE, type Sentence } from "./extractive-blocks.js";

/**
 * The passage that answers, chosen as a whole: of all runs of consecutive sentences of one source within the word
 * budget (never over a heading), the one whose sentences together hold the most of the question — each question term
 * counted once, by its weight — times `1 + literalBoost` when the run holds a literal that belongs to it (a literal
 * sentence that itself names a question term, or whatever follows a lead-out that names one: "…run the command"
 * `systemctl get-default`, a command the literal patterns need not recognise); among runs
 * that hold as much, the shortest, then the first.
 *
 * Why a run rather than the best sentence grown forward: in a manual the sentence that names the topic best is often
 * not the one with the fact ("Windows offers a feature (called “fast startup”…)" comes before the sentences about dual
 * boot; "You can then specify ftp.ipv6.debian.org" comes after four sentences on IPv6 mirrors), and a single line of
 * a code block ("# mkdir /root/.ssh") can outscore the prose it belongs to. Counting every term once rewards the run
 * that answers all parts of the question and gives nothing for repeating a word, so runs stay short.
 */
export function answerWindow(ss: readonly Sentence[], weights: ReadonlyMap<string, number>, budget: number, literalBoost: number): AnswerRun | undefined {
  let best: { start: number; end: number; score: number; words: number; literal: boolean } | undefined;
  for (let start = 0; start < ss.length; start++) {
    if (!opens(ss, start, weights)) continue;
    const covered = new Set<string>();
    let gained = 0;
    let words = 0;
    let literal = false;
    for (let end = start; end < ss.length; end++) {
      const s = ss[end]!;
      if (s.skip || (words > 0 && words + s.words > budget)) break;
      words += s.words;
      for (const t of s.terms) {
        const w = weights.get(t);
        if (w !== undefined && w > 0 && !covered.has(t)) (covered.add(t), (gained += w));
      }
      literal ||= (s.literal && hasQuestionTerm(s, weights)) || (end > start && introduces(ss[end - 1]!, weights));
      const score = gained * (literal ? 1 + literalBoost : 1);
      if (score <= 0) continue;
      if (!best || score > best.score * (1 + 1e-9) || (score >= best.score * (1 - 1e-9) && words < best.words)) best = { start, end, score, words, literal };
    }
  }
  return best ? { run: [best.start, best.end], score: best.score, literal: best.literal } : undefined;
}

/** A run of sentences (first and last index) and its score. */
export interface AnswerRun {
  run: [number, number];
  score: number;
  /** The run holds a literal that belongs to it (see `answerWindow`). */
  literal: boolean;
}

/** A run starts on a sentence that names a question term, or on the first line of a list item or table row. */
function opens(ss: readonly Sentence[], i: number, weights: ReadonlyMap<string, number>): boolean {
  const s = ss[i]!;
  if (s.skip) return false;
  if (s.group >= 0 && s.group !== i && !ROW_RE.test(s.text)) return false;
  return hasQuestionTerm(s, weights);
}

/** A lead-out ("…run the command", "…as follows:") naming a question term: what follows it answers too. */
function introduces(s: Sentence, weights: ReadonlyMap<string, number>): boolean {
  return LEAD_OUT_END_RE.test(s.text) && hasQuestionTerm(s, weights);
}

function hasQuestionTerm(s: Sentence, weights: ReadonlyMap<string, number>): boolean {
  for (const t of s.terms) if ((weights.get(t) ?? 0) > 0) return true;
  return false;
}
