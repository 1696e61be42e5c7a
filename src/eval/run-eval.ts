import type { EvalQuestion } from "./dataset.js";
import { documentRanking, mean, ndcgAt, percentile, recallAt, reciprocalRankAt, rougeL, tokenF1 } from "./metrics.js";

/** What the harness needs of a retrieval + answer pipeline (ours in each mode, or the LangChain reference). */
export interface EvalSystem {
  name: string;
  /** Chunk-level hits mapped to document ids, best first. */
  search(question: string, k: number): Promise<string[]>;
  answer(question: string): Promise<{ text: string; citedDocuments: string[]; answered: boolean }>;
}

export interface ModeReport {
  "recall@1": number;
  "recall@5": number;
  "recall@10": number;
  "mrr@10": number;
  "ndcg@10": number;
  rougeL: number;
  tokenF1: number;
  citationPrecision: number;
  answerRate: number;
  correctRefusal: number;
  correctRefusalOutOfDomain: number;
  correctRefusalHeldOut: number;
  falseRefusal: number;
  retrievalP50Ms: number;
  retrievalP95Ms: number;
  answerP50Ms: number;
  answerP95Ms: number;
  questions: { answerable: number; unanswerable: number; heldOut: number };
}

/**
 * One answerable question's outcome in one system: where its gold document ranked (1-based, 0 = not in the top 10),
 * the documents ranked above and around it, and whether it was answered. Written by `npm run eval -- --per-question`
 * so misses can be studied per question (what beat the gold document) without a throw-away script.
 */
export interface QuestionOutcome {
  id: string;
  goldRank: number;
  /** Document ids, best first (at most 10). */
  ranked: string[];
  answered: boolean;
}

export interface Tally {
  /** Per answerable question, in question order. */
  outcomes: QuestionOutcome[];
  r1: number[]; r5: number[]; r10: number[]; mrr: number[]; ndcg: number[];
  rouge: number[]; f1: number[]; citeGood: number; citeAll: number; answered: number;
  oodRefused: number[]; heldRefused: number[]; retrievalMs: number[]; answerMs: number[];
}

function emptyTally(): Tally {
  return { outcomes: [], r1: [], r5: [], r10: [], mrr: [], ndcg: [], rouge: [], f1: [], citeGood: 0, citeAll: 0, answered: 0, oodRefused: [], heldRefused: [], retrievalMs: [], answerMs: [] };
}

/** Phase A: full corpus. Retrieval and answer metrics on answerable questions, refusals on unanswerable ones. */
export async function evaluateFull(system: EvalSystem, questions: readonly EvalQuestion[], tally = emptyTally()): Promise<Tally> {
  for (const q of questions) {
    const a0 = performance.now();
    const reply = await system.answer(q.question);
    tally.answerMs.push(performance.now() - a0);
    if (!q.answerable) {
      tally.oodRefused.push(reply.answered ? 0 : 1);
      continue;
    }
    const gold = new Set(q.gold);
    const r0 = performance.now();
    const ranked = documentRanking(await system.search(q.question, 10));
    tally.retrievalMs.push(performance.now() - r0);
    tally.r1.push(recallAt(ranked, gold, 1));
    tally.r5.push(recallAt(ranked, gold, 5));
    tally.r10.push(recallAt(ranked, gold, 10));
    tally.mrr.push(reciprocalRankAt(ranked, gold, 10));
    tally.outcomes.push({ id: q.id, goldRank: ranked.slice(0, 10).findIndex((d) => gold.has(d)) + 1, ranked: ranked.slice(0, 10), answered: reply.answered });
    tally.ndcg.push(ndcgAt(ranked, gold, 10));
    if (reply.answered) {
      tally.answered += 1;
      tally.citeAll += reply.citedDocuments.length;
      tally.citeGood += reply.citedDocuments.filter((d) => gold.has(d)).length;
    }
    const reference = q.answer ?? "";
    tally.rouge.push(reply.answered && reference ? rougeL(reply.text, reference) : 0);
    tally.f1.push(reply.answered && reference ? tokenF1(reply.text, reference) : 0);
  }
  return tally;
}

/** Phase B: after the gold documents of `heldOut` were removed, each of them should be refused. */
export async function evaluateHeldOut(system: EvalSystem, heldOut: readonly EvalQuestion[], tally: Tally): Promise<Tally> {
  for (const q of heldOut) {
    const reply = await system.answer(q.question);
    tally.heldRefused.push(reply.answered ? 0 : 1);
  }
  return tally;
}

export function report(t: Tally): ModeReport {
  const answerable = t.r1.length;
  const refusals = [...t.oodRefused, ...t.heldRefused];
  const round = (v: number) => Math.round(v * 1000) / 1000;
  return {
    "recall@1": round(mean(t.r1)),
    "recall@5": round(mean(t.r5)),
    "recall@10": round(mean(t.r10)),
    "mrr@10": round(mean(t.mrr)),
    "ndcg@10": round(mean(t.ndcg)),
    rougeL: round(mean(t.rouge)),
    tokenF1: round(mean(t.f1)),
    citationPrecision: round(t.citeAll > 0 ? t.citeGood / t.citeAll : 0),
    answerRate: round(answerable > 0 ? t.answered / answerable : 0),
    correctRefusal: round(mean(refusals)),
    correctRefusalOutOfDomain: round(mean(t.oodRefused)),
    correctRefusalHeldOut: round(mean(t.heldRefused)),
    falseRefusal: round(answerable > 0 ? 1 - t.answered / answerable : 0),
    retrievalP50Ms: round(percentile(t.retrievalMs, 50)),
    retrievalP95Ms: round(percentile(t.retrievalMs, 95)),
    answerP50Ms: round(percentile(t.answerMs, 50)),
    answerP95Ms: round(percentile(t.answerMs, 95)),
    questions: { answerable, unanswerable: t.oodRefused.length, heldOut: t.heldRefused.length },
  };
}
