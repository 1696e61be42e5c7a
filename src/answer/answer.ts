import { randomUUID } from "node:crypto";
import type { ChunkFilter } from "../domain/chunk.js";
import type { Answer, Citation, EscalationReason, HistoryTurn, Source } from "../domain/answer.js";
import type { RetrievalResult, RetrieveOptions, ScoredChunk } from "../retrieval/retrieve.js";
import { confidenceFeatures, confidenceScore, type ConfidenceModel, type IdfLookup } from "../retrieval/confidence.js";
import { detectLanguage, questionScriptFamily } from "../text/language.js";
import type { AnswerComposer } from "./composer.js";
import { condenseFollowUp } from "./condense-question.js";
import { refusalText } from "./refusal.js";
import { verifyAnswer } from "./verify-citations.js";
import { stripInjections } from "./injection.js";
import { customerFilter, customerTicketSource } from "./source-policy.js";
import { VerifiedStream } from "./verified-stream.js";
import { avoidGivenPassage } from "./follow-up.js";
import { previousCitedSection, withSection } from "./cited-section.js";
import type { QueryMemo } from "../retrieval/query-memo.js";
import { DEFAULT_CURATED_AGREEMENT, keepAgreeingCurated } from "./curated-gate.js";
import type { SourceMemos } from "./source-memos.js";

export interface AnswerRequest {
  question: string;
  history?: HistoryTurn[];
  filters?: ChunkFilter;
  topK?: number;
  signal?: AbortSignal;
  /**
   * Receives the answer text as it is released: whole sentences, each only after it passed verification with its
   * citation markers resolved (a sentence verification drops is never sent), then the rest of the final text (the
   * extractive path's passages, or the refusal). Joined, the deltas are the returned `answer` — unless a model failed
   * mid-stream and the fallback's text differs; then nothing more is sent and the returned answer is the truth.
   */
  onToken?: (delta: string) => void;
  /** Told when a model step fell back to the heuristic or extractive path ("condense-failed", "compose-timeout", …). */
  onFallback?: (reason: string, error?: unknown) => void;
  /** What was computed about this question (IDF, query vectors), shared with triage; a fresh one when absent. */
  memo?: QueryMemo;
}

export interface AnswerSettings {
  minConfidence: number;
  topK: number;
  /** How many of the retrieved chunks are given to the composer as numbered sources. */
  sources: number;
  minSupport: number;
  confidenceModel?: ConfidenceModel;
  /**
   * Collections whose past tickets may be used, generalised (TICKET_ANSWER_COLLECTIONS). Absent or empty: none —
   * answers come from knowledge sources only (see source-policy.ts).
   */
  ticketCollections?: readonly string[];
  /** Least question agreement for a curated answer to count as evidence (see curated-gate.ts); default 0.7. */
  curatedAgreement?: number;
  /** Whether a curated answer is also dropped for a reversing word it does not use (see curated-gate.ts); default true. */
  curatedOperators?: boolean;
}

export interface AnswerDeps {
  retrieve: (query: string, options: RetrieveOptions) => Promise<RetrievalResult>;
  composer: AnswerComposer;
  idf: IdfLookup;
  /** Optional LLM rewrite of follow-ups; the heuristic is used when absent or when it fails. */
  condense?: (question: string, history: HistoryTurn[], signal?: AbortSignal) => Promise<string>;
  /** A fresh per-question memo (IDF, query vectors); without it `idf` is asked directly. */
  newMemo?: () => QueryMemo;
  /** Told when a model step fell back to the heuristic (for logs and metrics). */
  onFallback?: (reason: string, error?: unknown) => void;
  /** Adds who wrote a cited curated answer's current version, and when (see src/curated/); citations as they are when absent. */
  describeCurated?: (citations: Citation[]) => Promise<Citation[]>;
  settings: AnswerSettings;
  newId?: () => string;
  /**
   * What citation verification computes from sources' texts (content terms, sentence and page spans), remembered across
   * answers (owned by the caller, shared with the extractive composer's sentence spans); none when absent.
   */
  sourceMemos?: SourceMemos;
}

/**
 * The answer use case: rewrite a follow-up into a standalone question, retrieve, decide answerability from the
 * evidence, compose, then verify every sentence against the sources it cites. Whatever fails verification is
 * dropped; if too little survives, the reply is an honest refusal without citations and with `escalate: true`.
 */
export async function answerQuestion(deps: AnswerDeps, request: AnswerRequest): Promise<Answer> {
  const t0 = performance.now();
  const onFallback = (reason: string, error?: unknown): void => {
    deps.onFallback?.(reason, error);
    request.onFallback?.(reason, error);
  };
  const { language, standalone, confidence, sources } = await gatherEvidence(deps, request, onFallback);
  const t1 = performance.now();
  const base = { id: deps.newId?.() ?? randomUUID(), question: request.question, standaloneQuestion: standalone, language, confidence };
  const verifyOptions = { minSupport: deps.settings.minSupport, language, ...(deps.sourceMemos ? { sourceMemos: deps.sourceMemos } : {}) };
  const stream = request.onToken ? new VerifiedStream(sources, verifyOptions, request.onToken) : undefined;
  const timings = (composeMs: number) => ({ retrievalMs: t1 - t0, composeMs, totalMs: performance.now() - t0 });
  const refuse = (reasons: EscalationReason[], degraded = false, composeMs = 0): Answer => {
    const kind = reasons.includes("unsupported-answer") ? "unsupported" : reasons.includes("no-evidence") ? "no-evidence" : "low-confidence";
    const answer = refusalText(language, kind);
    stream?.finish(answer);
    return { ...base, answer, citations: [], answerable: false, escalate: true, escalationReasons: reasons, degraded, timings: timings(composeMs) };
  };
  if (sources.length === 0) return refuse(["no-evidence"]);
  if (confidence < deps.settings.minConfidence) return refuse(["low-confidence"]);

  const composed = await deps.composer.compose({
    question: standalone,
    language,
    sources,
    ...(request.signal ? { signal: request.signal } : {}),
    onFallback,
    // The draft goes through verification sentence by sentence; only what survives reaches the caller.
    ...(stream ? { onToken: (delta: string) => stream.push(delta) } : {}),
  });
  const composeMs = performance.now() - t1;
  if (composed.refused) return refuse(["no-evidence"], composed.degraded, composeMs);
  const verified = verifyAnswer(composed.text, sources, verifyOptions);
  if (verified.refused) return refuse(["unsupported-answer"], composed.degraded, composeMs);
  stream?.finish(verified.text);
  return {
    ...base,
    answer: verified.text,
    citations: deps.describeCurated ? await deps.describeCurated(verified.citations) : verified.citations,
    answerable: true,
    escalate: false,
    escalationReasons: [],
    degraded: composed.degraded,
    timings: timings(composeMs),
  };
}

/**
 * The question's context, computed once: its language, the standalone question, retrieval over the per-question memo
 * (IDF and query vector shared with confidence and triage), the confidence, and the numbered sources.
 */
async function gatherEvidence(
  deps: AnswerDeps,
  request: AnswerRequest,
  onFallback: (reason: string, error?: unknown) => void,
): Promise<{ language: string; standalone: string; confidence: number; sources: Source[] }> {
  const language = detectLanguage(request.question);
  const history = request.history ?? [];
  const memo = request.memo ?? deps.newMemo?.();
  const filter = customerFilter(request.filters, deps.settings.ticketCollections ?? []);
  // An extractive reply quotes only passages in the question's script family, so only those are ranked and weighed
  // (see quotableIn); a model composer may translate, and a question of no definite family reads either.
  const family = deps.composer.kind === "extractive" ? questionScriptFamily(request.question) : undefined;
  const scope = { filter, ...(family ? { scriptFamily: family } : {}) };
  const standalone = await rewrite(deps, request, scope, onFallback);
  const options = { topK: request.topK ?? deps.settings.topK, ...scope, ...(memo ? { memo } : {}) };
  const retrieved = await deps.retrieve(standalone, options);
  // The IDF of the chunks ranked (those of the question's family, when kept to one), as retrieval weighed them.
  const idfOf = (terms: readonly string[]) => (memo ? memo.idf(terms, filter.collections, family) : deps.idf(terms, filter.collections, family));
  const retrieval = await keepAgreeingCurated(retrieved, idfOf, deps.settings.curatedAgreement ?? DEFAULT_CURATED_AGREEMENT, deps.settings.curatedOperators ?? true);
  const weights = await idfOf(retrieval.terms);
  const confidence = confidenceScore(confidenceFeatures(retrieval, weights), deps.settings.confidenceModel, language);
  // Table-of-contents and index chunks point at answers; they never are one.
  const contents = retrieval.chunks.filter((c) => c.blockKind !== "toc");
  const candidates = avoidGivenPassage(request.question, history, contents).slice(0, deps.settings.sources);
  const sources = toSources(withSectionMate(candidates, retrieval.sectionMate));
  return { language, standalone, confidence, sources: sources.map((s) => (retrieval.sectionMate && s.chunkId === retrieval.sectionMate.id ? { ...s, sectionMate: true } : s)) };
}

async function rewrite(
  deps: AnswerDeps,
  request: AnswerRequest,
  scope: Pick<RetrieveOptions, "filter" | "scriptFamily">,
  onFallback: (reason: string, error?: unknown) => void,
): Promise<string> {
  const { question, signal } = request;
  const history = request.history ?? [];
  if (history.length === 0) return question;
  if (deps.condense) {
    try {
      const q = (await deps.condense(question, history, signal)).trim();
      if (q.length > 0 && q.length <= 1000) return q;
      onFallback("condense-unusable");
    } catch (err) {
      if (signal?.aborted) throw signal.reason ?? err;
      // The heuristic below still gives a usable standalone question.
      onFallback("condense-failed", err);
    }
  }
  // The heuristic rewrite knows the earlier question only; an anaphor ("make that stricter") means what the reply
  // quoted, so the title of the section it came from is searched as well — not when the anaphor was resolved to a
  // noun of the earlier question ("Is the hub waterproof?"), which asks about that thing, not that section.
  const { standalone, carriesTopic } = condenseFollowUp(question, history);
  return carriesTopic ? withSection(standalone, await previousCitedSection(question, history, deps.retrieve, scope)) : standalone;
}

/**
 * The top chunk's section mate (see `RetrievalResult.sectionMate`) becomes source 2, on top of the usual sources: the
 * composer may then quote the section's other chunk when it holds what the question asks for. Only when the top chunk
 * is still the first candidate (a follow-up may have set it aside).
 */
function withSectionMate(candidates: readonly ScoredChunk[], mate: ScoredChunk | undefined): ScoredChunk[] {
  const [top, ...rest] = candidates;
  if (!top || !mate || mate.blockKind === "toc" || mate.documentId !== top.documentId || mate.sectionPath.join("\u0000") !== top.sectionPath.join("\u0000")) return [...candidates];
  return [top, mate, ...rest];
}

/** Numbered sources from retrieved chunks; tickets (only in opted-in collections) generalised for customers. */
export function toSources(chunks: readonly ScoredChunk[]): Source[] {
  const sources: Source[] = [];
  for (const c of chunks) {
    const source: Source = {
      n: sources.length + 1,
      chunkId: c.id,
      documentId: c.documentId,
      collection: c.collection,
      title: c.title,
      sectionPath: c.sectionPath,
      ...(c.pageStart !== undefined ? { page: c.pageStart } : {}),
      ...(c.pageLabel !== undefined ? { pageLabel: c.pageLabel } : {}),
      ...(c.url !== undefined ? { url: c.url } : {}),
      sourceType: c.sourceType,
      text: c.text,
      score: c.score,
    };
    const usable = c.sourceType === "ticket" ? customerTicketSource(source) : source;
    if (usable) sources.push({ ...usable, text: stripInjections(usable.text, c.language) });
  }
  return sources;
}
