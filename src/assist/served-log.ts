import type { Answer } from "../domain/answer.js";
import type { FeedbackRecord, Rating, ServedOutcome, ServedRecord } from "../ports/analytics-store.js";
import type { SuggestResult } from "./suggest.js";

/** Who asked (for analytics): the API key name, never the key. */
export interface ServedContext {
  keyName?: string;
  /** Collections the request was limited to (recorded so limited viewers see only their own); absent: all. */
  collections?: readonly string[];
}

function contextFields(context: ServedContext): Pick<ServedRecord, "keyName" | "collections"> {
  return {
    ...(context.keyName ? { keyName: context.keyName } : {}),
    ...(context.collections ? { collections: [...context.collections] } : {}),
  };
}

export interface FeedbackInput {
  answerId: string;
  rating: Rating;
  comment?: string;
  correctedAnswer?: string;
}

type Redact = (text: string) => string;

/** Most operationally urgent first, as the answers metric counts them. */
export function answerOutcome(answer: Answer): ServedOutcome {
  if (answer.degraded) return "degraded";
  if (!answer.answerable) return "refused";
  if (answer.escalate) return "escalated";
  return "answered";
}

export function suggestionOutcome(result: SuggestResult): ServedOutcome {
  if (result.degraded) return "degraded";
  if (result.suggestions.every((s) => s.basis === "holding")) return "refused";
  if (result.triage.escalate.recommended) return "escalated";
  return "answered";
}

/** The analytics record of a served answer; its question redacted. */
export function answerRecord(answer: Answer, redact: Redact, context: ServedContext, now = new Date()): ServedRecord {
  return {
    id: answer.id,
    kind: "answer",
    question: redact(answer.question),
    answer: redact(answer.answer),
    outcome: answerOutcome(answer),
    confidence: answer.confidence,
    citedDocumentIds: answer.citations.map((c) => c.documentId),
    language: answer.language,
    ...contextFields(context),
    createdAt: now.toISOString(),
  };
}

/** The analytics record of a served suggestion; its question redacted. */
export function suggestionRecord(result: SuggestResult, redact: Redact, context: ServedContext, now = new Date()): ServedRecord {
  return {
    id: result.id,
    kind: "suggestion",
    question: redact(result.question),
    ...(result.suggestions[0] ? { answer: redact(result.suggestions[0].text) } : {}),
    outcome: suggestionOutcome(result),
    confidence: result.confidence,
    citedDocumentIds: result.suggestions.flatMap((s) => s.citations.map((c) => c.documentId)),
    language: result.triage.language,
    ...contextFields(context),
    createdAt: now.toISOString(),
  };
}

/** A rating with its comment and correction redacted (agents paste customer details into both). */
export function feedbackRecord(input: FeedbackInput, redact: Redact, context: ServedContext, now = new Date()): FeedbackRecord {
  return {
    answerId: input.answerId,
    rating: input.rating,
    ...(input.comment !== undefined ? { comment: redact(input.comment) } : {}),
    ...(input.correctedAnswer !== undefined ? { correctedAnswer: redact(input.correctedAnswer) } : {}),
    ...(context.keyName ? { keyName: context.keyName } : {}),
    createdAt: now.toISOString(),
  };
}
