import type { EscalationReason } from "../domain/answer.js";
import { TRIGGER_PATTERNS, WEAK_REPEAT_RE, findAll, type TriggerKind } from "./cue-patterns.js";
import type { SentimentResult } from "./sentiment.js";

/** Why escalation is recommended: a reason code and the phrase or number behind it. */
export interface EscalationDetail {
  reason: EscalationReason;
  evidence: string;
}

export interface EscalationDecision {
  recommended: boolean;
  reasons: EscalationReason[];
  details: EscalationDetail[];
}

export interface EscalationInput {
  /** The customer's messages, oldest first. */
  customerMessages: readonly string[];
  sentiment: SentimentResult;
  /** Confidence of the best grounded answer, when one was attempted. */
  answerConfidence?: number;
  /** Below this the answer confidence is "low" (ANSWER_MIN_CONFIDENCE). */
  minConfidence: number;
  /** No evidence was found at all (suggest had to fall back to a holding reply). */
  noEvidence?: boolean;
}

/** A score at or below this is strong negative emotion even without an anger cue. */
const STRONG_NEGATIVE = -0.8;
const TRIGGERS: readonly TriggerKind[] = ["human-requested", "sensitive-topic", "repeated-contact"];

/**
 * Rules for handing a conversation to a human, each with its evidence: an explicit request for a human, strong
 * negative emotion, legal/cancellation/safety topics, repeated contact, and low answer confidence or no evidence.
 */
export function decideEscalation(input: EscalationInput): EscalationDecision {
  const details: EscalationDetail[] = [];
  const text = input.customerMessages.join("\n");
  for (const kind of TRIGGERS) {
    const found = findAll(TRIGGER_PATTERNS[kind], text);
    if (found[0] !== undefined) details.push({ reason: kind, evidence: found[0] });
  }
  if (!details.some((d) => d.reason === "repeated-contact") && input.customerMessages.length >= 2) {
    // "again" in a later message of the same thread: the first reply did not solve it.
    const later = input.customerMessages.slice(1).join("\n");
    const weak = WEAK_REPEAT_RE.exec(later);
    if (weak) details.push({ reason: "repeated-contact", evidence: weak[0] });
  }
  const s = input.sentiment;
  if (s.label === "negative" && (s.cues.includes("anger") || s.score <= STRONG_NEGATIVE)) {
    details.push({ reason: "negative-sentiment", evidence: `score ${s.score}${s.cues.length > 0 ? ` (${s.cues.join(", ")})` : ""}` });
  }
  if (input.noEvidence) details.push({ reason: "no-evidence", evidence: "no grounded reply could be composed" });
  else if (input.answerConfidence !== undefined && input.answerConfidence < input.minConfidence) {
    details.push({ reason: "low-confidence", evidence: `answer confidence ${input.answerConfidence.toFixed(2)} < ${input.minConfidence}` });
  }
  const reasons = [...new Set(details.map((d) => d.reason))];
  return { recommended: reasons.length > 0, reasons, details };
}
