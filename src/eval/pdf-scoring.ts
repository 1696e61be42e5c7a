import type { GoldLocation, RawQuestion } from "./raw-dataset.js";
import { mean, percentile, rougeL } from "./metrics.js";
import { wordCount as composerWordCount } from "../answer/extractive-blocks.js";

/** A retrieved chunk or a citation, as the scorer sees it: the file (document id) and its 1-based PDF page. */
export interface PageRef {
  file: string;
  page?: number;
  /** Last page of a retrieved chunk that runs over a page break (it is on every page from `page` to `pageEnd`). */
  pageEnd?: number;
}

/** One system's reply to one question. `answered` false means it refused. */
export interface RawReply {
  text: string;
  citations: PageRef[];
  answered: boolean;
}

/** What the raw-documents evaluation needs of a system (ours in a mode, over HTTP, or the LangChain reference). */
export interface RawSystem {
  name: string;
  /** Retrieved chunks, best first (page recall); absent when the system cannot show its ranking (HTTP). */
  search?(question: string, k: number): Promise<PageRef[]>;
  answer(question: string): Promise<RawReply>;
}

/** Citation markers such as "[1]" or "[2, 3]" are not answer text. */
const MARKER_RE = /\[\d+(?:\s*,\s*\d+)*\]/g;

/** The dataset README's key rule: case-insensitive, runs of whitespace collapsed to one space. */
export function normalizeForKeys(text: string): string {
  return text.replace(/\s+/g, " ").trim().toLowerCase();
}

/** True when every key group has at least one alternative in `answer` (substring after {@link normalizeForKeys}). */
export function keysFound(answer: string, keys: readonly (readonly string[])[]): boolean {
  const a = normalizeForKeys(answer.replace(MARKER_RE, " "));
  return keys.every((group) => group.some((k) => a.includes(normalizeForKeys(k))));
}

/** True when `ref` is on a gold page of its file (a chunk over a page break: on any of its pages). */
export function onGoldPage(ref: PageRef, gold: readonly GoldLocation[]): boolean {
  const first = ref.page;
  if (first === undefined) return false;
  const last = Math.max(first, ref.pageEnd ?? first);
  return gold.some((g) => g.file === ref.file && g.pages.some((p) => p >= first && p <= last));
}

/** 1 when one of the first `k` retrieved chunks is on a gold page. */
export function pageHitAt(ranked: readonly PageRef[], gold: readonly GoldLocation[], k: number): number {
  return ranked.slice(0, k).some((r) => onGoldPage(r, gold)) ? 1 : 0;
}

/** Words of an answer, citation markers left out; CJK characters count half a word each (Chinese has no spaces). */
export function wordCount(text: string): number {
  return composerWordCount(text.replace(MARKER_RE, " "));
}

/** Everything measured for one question, kept in the --json output. */
export interface QuestionResult {
  id: string;
  question: string;
  answerable: boolean;
  /** Gold files (empty for unanswerable questions). */
  files: string[];
  answer: string;
  citations: PageRef[];
  answered: boolean;
  keys: boolean;
  citation: boolean;
  correct: boolean;
  /** Null when the system's ranking was not measured. */
  pageHit1: number | null;
  pageHit5: number | null;
  /** The retrieved chunks scored for pageHit5 (file and page), best first; absent when not measured. */
  ranked?: PageRef[];
  words: number;
  rougeL: number;
  ms: number;
}

/** Scores one reply (and the retrieval ranking, for answerable questions). */
export function scoreQuestion(q: RawQuestion, reply: RawReply, ranked: readonly PageRef[] | undefined, ms: number): QuestionResult {
  const keys = keysFound(reply.text, q.keys);
  const citation = reply.citations.some((c) => onGoldPage(c, q.gold));
  return {
    id: q.id,
    question: q.question,
    answerable: q.answerable,
    files: [...new Set(q.gold.map((g) => g.file))],
    answer: reply.text,
    citations: reply.citations,
    answered: reply.answered,
    keys: reply.answered && keys,
    citation: reply.answered && citation,
    correct: q.answerable && reply.answered && keys && citation,
    pageHit1: ranked ? pageHitAt(ranked, q.gold, 1) : null,
    pageHit5: ranked ? pageHitAt(ranked, q.gold, 5) : null,
    ...(ranked ? { ranked: ranked.slice(0, 5) } : {}),
    words: reply.answered ? wordCount(reply.text) : 0,
    rougeL: reply.answered && q.answer ? rougeL(reply.text, q.answer) : 0,
    ms,
  };
}

/** Asks every question; retrieval runs for answerable ones only (page recall). */
export async function evaluateRaw(system: RawSystem, questions: readonly RawQuestion[]): Promise<QuestionResult[]> {
  const out: QuestionResult[] = [];
  for (const q of questions) {
    const t0 = performance.now();
    const reply = await system.answer(q.question);
    const ms = performance.now() - t0;
    const ranked = q.answerable && system.search ? await system.search(q.question, 5) : undefined;
    out.push(scoreQuestion(q, reply, ranked, ms));
  }
  return out;
}

/** The figures of one group of questions (a dataset, or the questions whose gold is in one file). */
export interface RawReport {
  correct: number;
  keyAccuracy: number;
  citationAccuracy: number;
  /** Null when no ranking was measured. */
  "pageRecall@1": number | null;
  "pageRecall@5": number | null;
  wrongRefusal: number;
  /** Null for a group without unanswerable questions (a file's group). */
  unanswerableRefused: number | null;
  medianWords: number;
  p95Words: number;
  rougeL: number;
  answerP95Ms: number;
  questions: { answerable: number; unanswerable: number };
}

/** Aggregates question results: answer figures and lengths over answerable ones, refusals over unanswerable ones. */
export function rawReport(results: readonly QuestionResult[]): RawReport {
  const answerable = results.filter((r) => r.answerable);
  const unanswerable = results.filter((r) => !r.answerable);
  const share = (pick: (r: QuestionResult) => boolean, of: readonly QuestionResult[]): number => round(of.length > 0 ? of.filter(pick).length / of.length : 0);
  // The length of the replies that answer: a reply to an unanswerable question is wrong at any length, and counting
  // it let a correct refusal move the median (refusing three short off-topic replies raised it 79 → 82 words).
  const words = answerable.filter((r) => r.answered).map((r) => r.words);
  return {
    correct: share((r) => r.correct, answerable),
    keyAccuracy: share((r) => r.keys, answerable),
    citationAccuracy: share((r) => r.citation, answerable),
    "pageRecall@1": recall(answerable.map((r) => r.pageHit1)),
    "pageRecall@5": recall(answerable.map((r) => r.pageHit5)),
    wrongRefusal: share((r) => !r.answered, answerable),
    unanswerableRefused: unanswerable.length > 0 ? share((r) => !r.answered && r.citations.length === 0, unanswerable) : null,
    medianWords: percentile(words, 50),
    p95Words: percentile(words, 95),
    rougeL: round(mean(answerable.map((r) => r.rougeL))),
    answerP95Ms: round(percentile(results.map((r) => r.ms), 95)),
    questions: { answerable: answerable.length, unanswerable: unanswerable.length },
  };
}

/**
 * The dataset's report and one per file: a question belongs to every file its gold names (a question answered in
 * two manuals counts in both); unanswerable questions belong to the dataset only.
 */
export function reportsByFile(results: readonly QuestionResult[], files: readonly string[]): Record<string, RawReport> {
  const out: Record<string, RawReport> = { all: rawReport(results) };
  for (const f of files) {
    const mine = results.filter((r) => r.files.includes(f));
    if (mine.length > 0) out[f] = rawReport(mine);
  }
  return out;
}

function recall(hits: ReadonlyArray<number | null>): number | null {
  const measured = hits.filter((h): h is number => h !== null);
  return measured.length > 0 ? round(mean(measured)) : null;
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
