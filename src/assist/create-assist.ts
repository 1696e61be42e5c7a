import type { Answer } from "../domain/answer.js";
import type { AnswerRequest } from "../answer/answer.js";
import type { AnswerComposer } from "../answer/composer.js";
import { ExtractiveComposer } from "../answer/extractive.js";
import type { AnalyticsStore, Proposal, ProposalReview, ProposalState, ViewScope } from "../ports/analytics-store.js";
import type { DocumentRepository } from "../ports/document-repository.js";
import type { Embedder } from "../ports/embedder.js";
import type { RetrievalResult, RetrieveOptions } from "../retrieval/retrieve.js";
import type { QueryMemo } from "../retrieval/query-memo.js";
import { buildAnalyticsReport, type AnalyticsReport, type ReportOptions } from "./analytics-report.js";
import type { Redactor } from "./redact.js";
import { suggestReplies, type SuggestRequest, type SuggestResult } from "./suggest.js";
import { triageThread, type Triage, type TriageDeps } from "./triage.js";
import type { ThreadMessage } from "./thread.js";
import { answerRecord, feedbackRecord, suggestionRecord, type FeedbackInput, type ServedContext } from "./served-log.js";

export type { FeedbackInput, ServedContext } from "./served-log.js";

export interface AssistSettings {
  /** ANSWER_MIN_CONFIDENCE. */
  minConfidence: number;
  /** Least cosine similarity for a past ticket to be listed as similar (embedder-dependent). */
  minTicketSimilarity: number;
  /** Least cosine similarity for a past ticket's agent replies to be drafted into a suggestion. */
  replyTicketSimilarity: number;
  /** Report defaults: answered below this confidence counts as a coverage gap. */
  lowConfidence: number;
  clusterThreshold: number;
}

/** Similarities are on the local embedder's scale (see .env.example); report defaults can be overridden per request. */
export const DEFAULT_ASSIST_SETTINGS: AssistSettings = {
  minConfidence: 0.35,
  minTicketSimilarity: 0.2,
  replyTicketSimilarity: 0.3,
  lowConfidence: 0.5,
  clusterThreshold: 0.34,
};

export interface AssistDeps {
  retrieve: (query: string, options: RetrieveOptions) => Promise<RetrievalResult>;
  answer: (request: AnswerRequest) => Promise<Answer>;
  store: DocumentRepository;
  embedder: Embedder;
  analytics: AnalyticsStore;
  redactor: Redactor;
  settings: AssistSettings;
  ticketComposer?: AnswerComposer;
  /** Per-question memo factory of the answering (IDF, query vectors computed once per question). */
  newMemo?: () => QueryMemo;
}

/** An answer with its triage; `escalate`/`escalationReasons` include the triage's reasons. */
export type TriagedAnswer = Answer & { triage: Triage };

/** Agent assist and support intelligence over an open engine: suggestions, triage, the served log, feedback, reports. */
export interface Assist {
  suggest(request: SuggestRequest): Promise<SuggestResult>;
  /** Triage of the question (and the user turns before it), merged into the answer's escalation. */
  triageAnswer(request: AnswerRequest, answer: Answer): Promise<TriagedAnswer>;
  /**
   * What the HTTP answer routes do with a computed answer: triage it, then record it (redacted). A failed analytics
   * write never costs the caller the answer: it goes to `onRecordError` and is skipped.
   */
  serveAnswer(request: AnswerRequest, answer: Answer, context?: ServedContext & { onRecordError?: (err: unknown) => void }): Promise<TriagedAnswer>;
  /** Records a served answer; the question is redacted first. */
  recordAnswer(answer: Answer, context?: ServedContext): Promise<void>;
  recordSuggestion(result: SuggestResult, context?: ServedContext): Promise<void>;
  /**
   * False when no served answer or suggestion with that id is visible within `context.collections` (the rating
   * key's). Comment and correction are redacted too.
   */
  /**
   * Stores a rating of an answer served within `context.collections`; false when there is none. `ownAnswersOnly` (a
   * widget key): only answers served to `context.keyName`, and a new rating replaces that key's earlier one.
   */
  recordFeedback(input: FeedbackInput, context?: ServedContext & { ownAnswersOnly?: boolean }): Promise<boolean>;
  report(options: Partial<ReportOptions> & Pick<ReportOptions, "range">): Promise<AnalyticsReport>;
  /** Corrections submitted with feedback (proposed curated answers), newest first; see `AnalyticsStore.proposals`. */
  proposals(options: { state?: ProposalState; limit: number; offset: number } & ViewScope): Promise<{ items: Proposal[]; total: number }>;
  proposal(id: number, scope?: ViewScope): Promise<Proposal | undefined>;
  /** Accepts or dismisses an open proposal; false when it is not open (or not visible to `scope`). */
  reviewProposal(id: number, review: ProposalReview, scope?: ViewScope): Promise<boolean>;
}

export function createAssist(deps: AssistDeps): Assist {
  const ticketComposer = deps.ticketComposer ?? new ExtractiveComposer();
  const triageDeps = { retrieve: deps.retrieve, store: deps.store, embedder: deps.embedder, minConfidence: deps.settings.minConfidence };
  const redact = (text: string): string => deps.redactor.redact(text).text;
  const assist: Assist = {
    async serveAnswer(request, answer, context = {}) {
      const triaged = await assist.triageAnswer(request, answer);
      try {
        // The filter's collections are the key's for a limited key (scopeFilters), so the record is theirs to see.
        const collections = request.filters?.collections;
        await assist.recordAnswer(triaged, { ...(context.keyName ? { keyName: context.keyName } : {}), ...(collections ? { collections } : {}) });
      } catch (err) {
        context.onRecordError?.(err);
      }
      return triaged;
    },
    suggest: (request) =>
      suggestReplies(
        {
          ...triageDeps,
          answer: deps.answer,
          ticketComposer,
          minTicketSimilarity: deps.settings.minTicketSimilarity,
          replyTicketSimilarity: deps.settings.replyTicketSimilarity,
          ...(deps.newMemo ? { newMemo: deps.newMemo } : {}),
        },
        request,
      ),
    triageAnswer: (request, answer) => triageAnswer(triageDeps, request, answer),
    recordAnswer: (answer, context = {}) => deps.analytics.recordServed(answerRecord(answer, redact, context)),
    recordSuggestion: (result, context = {}) => deps.analytics.recordServed(suggestionRecord(result, redact, context)),
    recordFeedback: (input, context = {}) =>
      deps.analytics.recordFeedback(feedbackRecord(input, redact, context), {
        ...(context.collections ? { collections: context.collections } : {}),
        // Without a key name there is no "own" to check: nothing may be rated (never every answer).
        ...(context.ownAnswersOnly ? { servedTo: context.keyName ?? "\u0000", replaceOwn: true } : {}),
      }),
    report: (options) =>
      buildAnalyticsReport(deps.analytics, {
        lowConfidence: deps.settings.lowConfidence,
        clusterThreshold: deps.settings.clusterThreshold,
        titleOf: (id, collections) => documentTitle(deps.store, id, collections),
        ...options,
      }),
    proposals: (options) => deps.analytics.proposals(options),
    proposal: (id, scope) => deps.analytics.proposal(id, scope),
    reviewProposal: (id, review, scope) => deps.analytics.reviewProposal(id, review, scope),
  };
  return assist;
}

/** A document's title by id, within the viewer's collections (any collection when unlimited). */
async function documentTitle(store: DocumentRepository, id: string, collections: readonly string[] | undefined): Promise<string | undefined> {
  if (!collections) return (await store.listDocuments({ id, limit: 1 }))[0]?.title;
  for (const c of collections) {
    const doc = await store.getDocument(c, id);
    if (doc) return doc.title;
  }
  return undefined;
}

/**
 * Triage's ticket search over the question's memo when it has one, so the query vector and IDF the answer computed
 * are reused (a question without history searches tickets with the same text).
 */
function withMemo(deps: TriageDeps, request: AnswerRequest): TriageDeps {
  const memo = request.memo;
  if (!memo) return deps;
  return { ...deps, retrieve: (query, options) => deps.retrieve(query, { ...options, memo }), embedder: { embedQuery: (text) => memo.embed(text) } };
}

/** Triage of an answered question (with the user turns before it); its escalation reasons join the answer's. */
export async function triageAnswer(deps: TriageDeps, request: AnswerRequest, answer: Answer): Promise<TriagedAnswer> {
  const messages: ThreadMessage[] = [
    ...(request.history ?? []).map((t) => ({ role: t.role === "user" ? ("customer" as const) : ("agent" as const), text: t.content })),
    { role: "customer", text: request.question },
  ];
  const collections = request.filters?.collections;
  const triage = await triageThread(withMemo(deps, request), messages, collections ? { collections } : {});
  if (!triage.escalate.recommended) return { ...answer, triage };
  return { ...answer, triage, escalate: true, escalationReasons: [...new Set([...answer.escalationReasons, ...triage.escalate.reasons])] };
}
