import { randomUUID } from "node:crypto";
import type { ChunkFilter } from "../domain/chunk.js";
import type { Answer, EscalationReason, HistoryTurn, Source } from "../domain/answer.js";
import type { RetrievalResult, RetrieveOptions, ScoredChunk } from "../retrieval/retrieve.js";
import { confidenceFeatures, confidenceScore, type ConfidenceModel, type IdfLookup } from "../retrieval/confidence.js";
import { detectLanguage } from "../text/language.js";
import type { AnswerComposer } from "./composer.js";
import { condenseQuestion } from "./condense-question.js";
import { refusalText } from "./refusal.js";
import { verifyAnswer } from "./verify-citations.js";
import { stripInjections } from "./injection.js";
import { agentSideOfTicket } from "./ticket-text.js";

export interface AnswerRequest {
  question: string;
  history?: HistoryTurn[];
  filters?: ChunkFilter;
  topK?: number;
  signal?: AbortSignal;
  /** Streams the composer's draft; the returned answer is the verified one and may differ. */
  onToken?: (delta: string) => void;
}

export interface AnswerSettings {
  minConfidence: number;
  topK: number;
  /** How many of the retrieved chunks are given to the composer as numbered sources. */
  sources: number;
  minSupport: number;
  confidenceModel?: ConfidenceModel;
}

export interface AnswerDeps {
  retrieve: (query: string, options: RetrieveOptions) => Promise<RetrievalResult>;
  composer: AnswerComposer;
  idf: IdfLookup;
  /** Optional LLM rewrite of follow-ups; the heuristic is used when absent or when it fails. */
  condense?: (question: string, history: HistoryTurn[]) => Promise<string>;
  settings: AnswerSettings;
  newId?: () => string;
}

/**
 * The answer use case: rewrite a follow-up into a standalone question, retrieve, decide answerability from the
 * evidence, compose, then verify every sentence against the sources it cites. Whatever fails verification is
 * dropped; if too little survives, the reply is an honest refusal without citations and with `escalate: true`.
 */
export async function answerQuestion(deps: AnswerDeps, request: AnswerRequest): Promise<Answer> {
  const t0 = performance.now();
  const language = detectLanguage(request.question);
  const history = request.history ?? [];
  const standalone = await rewrite(deps, request.question, history);
  const retrieval = await deps.retrieve(standalone, { topK: request.topK ?? deps.settings.topK, ...(request.filters ? { filter: request.filters } : {}) });
  const t1 = performance.now();
  const confidence = confidenceScore(confidenceFeatures(retrieval, deps.idf), deps.settings.confidenceModel, language);
  const base = { id: deps.newId?.() ?? randomUUID(), question: request.question, standaloneQuestion: standalone, language, confidence };
  const refuse = (reasons: EscalationReason[], degraded = false, composeMs = 0): Answer => ({
    ...base,
    answer: refusalText(language, reasons.includes("unsupported-answer") ? "unsupported" : reasons.includes("no-evidence") ? "no-evidence" : "low-confidence"),
    citations: [],
    answerable: false,
    escalate: true,
    escalationReasons: reasons,
    degraded,
    timings: { retrievalMs: t1 - t0, composeMs, totalMs: performance.now() - t0 },
  });
  if (retrieval.chunks.length === 0) return refuse(["no-evidence"]);
  if (confidence < deps.settings.minConfidence) return refuse(["low-confidence"]);

  const sources = toSources(retrieval.chunks.slice(0, deps.settings.sources));
  const composed = await deps.composer.compose({
    question: standalone,
    language,
    sources,
    ...(request.signal ? { signal: request.signal } : {}),
    ...(request.onToken ? { onToken: request.onToken } : {}),
  });
  const composeMs = performance.now() - t1;
  if (composed.refused) return refuse(["no-evidence"], composed.degraded, composeMs);
  const verified = verifyAnswer(composed.text, sources, { minSupport: deps.settings.minSupport, language });
  if (verified.refused) return refuse(["unsupported-answer"], composed.degraded, composeMs);
  return {
    ...base,
    answer: verified.text,
    citations: verified.citations,
    answerable: true,
    escalate: false,
    escalationReasons: [],
    degraded: composed.degraded,
    timings: { retrievalMs: t1 - t0, composeMs, totalMs: performance.now() - t0 },
  };
}

async function rewrite(deps: AnswerDeps, question: string, history: HistoryTurn[]): Promise<string> {
  if (history.length === 0) return question;
  if (deps.condense) {
    try {
      const q = (await deps.condense(question, history)).trim();
      if (q.length > 0 && q.length <= 1000) return q;
    } catch {
      // The heuristic below still gives a usable standalone question.
    }
  }
  return condenseQuestion(question, history);
}

export function toSources(chunks: readonly ScoredChunk[]): Source[] {
  return chunks.map((c, i) => ({
    n: i + 1,
    label: c.label,
    documentId: c.documentId,
    title: c.title,
    sectionPath: c.sectionPath,
    ...(c.pageStart !== undefined ? { page: c.pageStart } : {}),
    ...(c.url !== undefined ? { url: c.url } : {}),
    sourceType: c.sourceType,
    text: stripInjections(c.sourceType === "ticket" ? agentSideOfTicket(c.text) : c.text, c.language),
    score: c.score,
  }));
}
