import { randomUUID } from "node:crypto";
import type { Answer, Citation } from "../domain/answer.js";
import type { AnswerRequest } from "../answer/answer.js";
import type { AnswerComposer } from "../answer/composer.js";
import { holdingReply } from "../answer/refusal.js";
import { contentTerms } from "../answer/overlap.js";
import { findSimilarTickets, type SimilarTicket } from "./similar-tickets.js";
import type { QueryMemo } from "../retrieval/query-memo.js";
import { jaccard } from "./cluster.js";
import { replyFromTickets, type TicketReply } from "./ticket-reply.js";
import { generaliseTicketText } from "./generalise.js";
import { openerFor, toneFor, withOpener, type Tone } from "./tone.js";
import { customerLanguage, languageConfidence, triageThread, type Triage, type TriageDeps } from "./triage.js";
import { customerTexts, issueText, questionOf, type ThreadMessage } from "./thread.js";

/** Where a suggestion's content comes from. */
export type SuggestionBasis = "manual" | "similar-tickets" | "holding";

export interface Suggestion {
  text: string;
  citations: Citation[];
  tone: Tone;
  basis: SuggestionBasis;
}

export interface SimilarTicketView {
  documentId: string;
  subject: string;
  category: string | null;
  resolution: string | null;
  similarity: number;
}

export interface SuggestResult {
  id: string;
  suggestions: Suggestion[];
  similarTickets: SimilarTicketView[];
  triage: Triage;
  /** The question the suggestions answer (the last customer turn, or the customer's messages when it says little). */
  question: string;
  /** Confidence of the manual-grounded answer (what analytics records). */
  confidence: number;
  degraded: boolean;
}

export interface SuggestRequest {
  messages: ThreadMessage[];
  product?: string;
  /** Collections the caller may read (collection-limited API keys). */
  collections?: string[];
  signal?: AbortSignal;
}

export interface SuggestDeps extends TriageDeps {
  answer: (request: AnswerRequest) => Promise<Answer>;
  /** Composer for replies drafted from similar tickets (the extractive composer: no model, fully grounded). */
  ticketComposer: AnswerComposer;
  /** Tickets below this cosine similarity are not shown. */
  minTicketSimilarity: number;
  /** Tickets below this cosine similarity are not drafted into a suggestion. */
  replyTicketSimilarity: number;
  newId?: () => string;
  /** A fresh per-question memo (IDF, query vectors) shared by the ticket search, the answer and the triage. */
  newMemo?: () => QueryMemo;
}

const SHOWN_TICKETS = 5;
/** Language confidence from which suggestions are strictly in that language. */
const SURE_LANGUAGE = 0.7;
const REPLY_TICKETS = 3;
/** Two suggestions whose content terms overlap more than this (Jaccard) are the same reply twice. */
const DUPLICATE_OVERLAP = 0.6;

/**
 * Agent assist: up to three reply suggestions for the latest customer turn, each grounded and cited (the answer use
 * case over the manuals; agents' replies in similar resolved tickets), in the customer's language and with a tone
 * fitting their sentiment; the similar tickets; and a triage. Without evidence it suggests only a holding reply and
 * recommends escalation; it never suggests uncited content.
 */
export async function suggestReplies(plainDeps: SuggestDeps, request: SuggestRequest): Promise<SuggestResult> {
  const deps = withMemo(plainDeps);
  const customerText = customerTexts(request.messages).join("\n");
  const language = customerLanguage(customerText);
  const collections = request.collections;
  const issue = issueText(request.messages);
  const tickets = await findSimilarTickets(deps, issue, {
    limit: 7,
    ...(request.product ? { products: [request.product] } : {}),
    ...(collections ? { collections } : {}),
  });
  const { question, answer } = await manualAnswer(deps, request, customerText, language);
  const bodies = await evidence(deps, { answer, issue, tickets, language }, request.signal);
  const noEvidence = bodies.length === 0;
  const triage = await triageThread(deps, request.messages, {
    similarTickets: tickets,
    noEvidence,
    ...(answer.answerable ? { answerConfidence: answer.confidence } : {}),
  });
  const repeated = triage.escalate.reasons.includes("repeated-contact");
  const tone = toneFor(triage.sentiment.label, { cues: triage.sentiment.cues, repeated });
  const opener = openerFor(tone, language, { ...(request.product ? { product: request.product } : {}), repeated });
  const suggestions: Suggestion[] = noEvidence
    ? [{ text: withOpener(opener, holdingReply(language)), citations: [], tone, basis: "holding" }]
    : bodies.slice(0, 3).map((b) => ({ text: withOpener(opener, b.text), citations: b.citations, tone, basis: b.basis }));
  return {
    id: deps.newId?.() ?? randomUUID(),
    suggestions,
    similarTickets: tickets.filter((t) => t.similarity >= deps.minTicketSimilarity).slice(0, SHOWN_TICKETS).map(view),
    triage,
    question,
    confidence: answer.confidence,
    degraded: answer.degraded,
  };
}

/** The deps bound to one fresh memo, so every stage of this suggestion reuses the same IDF and query vectors. */
function withMemo(deps: SuggestDeps): SuggestDeps {
  const memo = deps.newMemo?.();
  if (!memo) return deps;
  return {
    ...deps,
    retrieve: (query, options) => deps.retrieve(query, { ...options, memo }),
    embedder: { embedQuery: (text) => memo.embed(text) },
    answer: (request) => deps.answer({ ...request, memo }),
  };
}

/**
 * The answer use case over the manuals for the thread's question, in the customer's language; only when that language
 * is a guess (a few words) are documents in other languages tried as well.
 */
async function manualAnswer(deps: SuggestDeps, request: SuggestRequest, customerText: string, language: string): Promise<{ question: string; answer: Answer }> {
  const { question, history } = questionOf(request.messages);
  const ask = (languages: string[] | undefined): Promise<Answer> =>
    deps.answer({
      question,
      history,
      filters: { sourceTypes: ["manual", "curated"], ...(languages ? { languages } : {}), ...(request.collections ? { collections: request.collections } : {}) },
      ...(request.signal ? { signal: request.signal } : {}),
    });
  const answer = await ask([language]);
  if (answer.answerable || languageConfidence(customerText, language) >= SURE_LANGUAGE) return { question, answer };
  return { question, answer: await ask(undefined) };
}

/**
 * The grounded reply bodies: the manual answer, then a reply from similar tickets' agents unless it says the same.
 * Tickets are drafted from at `replyTicketSimilarity`; when that leaves nothing at all, from the tickets listed as
 * similar (`minTicketSimilarity`): a holding reply is only for when nothing relevant exists, neither a manual passage
 * nor a past ticket (Chinese threads and threads that mix a problem with demands score lower on the local embedder).
 */
async function evidence(
  deps: SuggestDeps,
  found: { answer: Answer; issue: string; tickets: readonly SimilarTicket[]; language: string },
  signal: AbortSignal | undefined,
): Promise<Array<{ text: string; citations: Citation[]; basis: SuggestionBasis }>> {
  const { answer, issue, language } = found;
  const languages = await Promise.all(found.tickets.map(async (t) => (await deps.store.getDocument(t.collection, t.documentId))?.language ?? language));
  const sameLanguage = found.tickets.filter((_, i) => languages[i] === language);
  const reply = async (least: number): Promise<TicketReply | undefined> => {
    const usable = sameLanguage.filter((t) => t.similarity >= least).slice(0, REPLY_TICKETS);
    if (usable.length === 0) return undefined;
    // The question may be a thin follow-up ("试过重启了，还是不行"); the customer's whole topic then finds the agents' steps.
    const first = await replyFromTickets(deps.ticketComposer, answer.standaloneQuestion, language, usable, signal);
    return first ?? (issue !== answer.standaloneQuestion ? replyFromTickets(deps.ticketComposer, issue, language, usable, signal) : undefined);
  };
  let fromTickets = await reply(deps.replyTicketSimilarity);
  if (!fromTickets && !answer.answerable) fromTickets = await reply(deps.minTicketSimilarity);
  const bodies: Array<{ text: string; citations: Citation[]; basis: SuggestionBasis }> = [];
  if (answer.answerable) bodies.push({ text: answer.answer, citations: answer.citations, basis: "manual" });
  if (fromTickets && !bodies.some((b) => overlap(b.text, fromTickets.text) > DUPLICATE_OVERLAP)) bodies.push({ ...fromTickets, basis: "similar-tickets" });
  return bodies;
}

/** A similar ticket as agents see it: subject and resolution with the other customer's specifics as placeholders. */
function view(t: SimilarTicket): SimilarTicketView {
  const general = (text: string): string => generaliseTicketText(text, "agent").text;
  return {
    documentId: t.documentId,
    subject: general(t.subject),
    category: t.category ?? null,
    resolution: t.resolution !== undefined ? general(t.resolution) : null,
    similarity: t.similarity,
  };
}

/** Jaccard overlap of two replies' content terms (a short reply inside a longer one that adds steps is not a duplicate). */
function overlap(a: string, b: string): number {
  return jaccard(contentTerms(a), contentTerms(b));
}
