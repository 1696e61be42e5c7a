import type { EscalationReason } from "../domain/answer.js";
import { countScript } from "../text/cjk.js";
import { detectLanguage } from "../text/language.js";
import type { EmotionCue } from "./cue-patterns.js";
import { decideEscalation, type EscalationDetail } from "./escalation.js";
import { threadSentiment, type SentimentLabel } from "./sentiment.js";
import { findSimilarTickets, voteIntent, type SimilarTicket, type TicketSearchDeps } from "./similar-tickets.js";
import { customerTexts, issueText, type ThreadMessage } from "./thread.js";

/** Triage of a message or thread: what the customer speaks, feels and wants, and whether a human should take over. */
export interface Triage {
  language: string;
  languageConfidence: number;
  sentiment: { label: SentimentLabel; score: number; confidence: number; cues: EmotionCue[] };
  /** Category of the nearest labelled past tickets (k-NN vote); null when the index has no labelled tickets. */
  intent: { category: string | null; confidence: number };
  escalate: { recommended: boolean; reasons: EscalationReason[]; details: EscalationDetail[] };
}

export interface TriageDeps extends TicketSearchDeps {
  /** ANSWER_MIN_CONFIDENCE: answer confidence below it is an escalation reason. */
  minConfidence: number;
}

export interface TriageOptions {
  products?: string[];
  collections?: string[];
  /** Confidence of the grounded answer given for this conversation, if any. */
  answerConfidence?: number;
  /** No grounded reply could be composed. */
  noEvidence?: boolean;
  /** Tickets already looked up for this conversation (suggest does it once for both purposes). */
  similarTickets?: readonly SimilarTicket[];
  excludeIds?: ReadonlySet<string>;
}

/** Nearest tickets that vote on the intent. */
const INTENT_NEIGHBOURS = 7;

/** Triage without retrieval: language, sentiment and escalation rules (intent needs the index, see `triageThread`). */
export function triageText(messages: readonly ThreadMessage[], options: { minConfidence: number; answerConfidence?: number; noEvidence?: boolean }): Omit<Triage, "intent"> {
  const customer = customerTexts(messages);
  const text = customer.join("\n");
  const language = customerLanguage(text);
  const s = threadSentiment(customer);
  const escalate = decideEscalation({
    customerMessages: customer,
    sentiment: s,
    minConfidence: options.minConfidence,
    ...(options.answerConfidence !== undefined ? { answerConfidence: options.answerConfidence } : {}),
    ...(options.noEvidence ? { noEvidence: true } : {}),
  });
  return {
    language,
    languageConfidence: languageConfidence(text, language),
    sentiment: { label: s.label, score: s.score, confidence: s.confidence, cues: s.cues },
    escalate,
  };
}

/** Full triage of a thread, including the k-NN intent over past tickets. */
export async function triageThread(deps: TriageDeps, messages: readonly ThreadMessage[], options: TriageOptions = {}): Promise<Triage> {
  const base = triageText(messages, {
    minConfidence: deps.minConfidence,
    ...(options.answerConfidence !== undefined ? { answerConfidence: options.answerConfidence } : {}),
    ...(options.noEvidence ? { noEvidence: true } : {}),
  });
  const neighbours =
    options.similarTickets ??
    (await findSimilarTickets(deps, issueText(messages), {
      limit: INTENT_NEIGHBOURS,
      ...(options.products ? { products: options.products } : {}),
      ...(options.collections ? { collections: options.collections } : {}),
      ...(options.excludeIds ? { excludeIds: options.excludeIds } : {}),
    }));
  const vote = voteIntent(neighbours, INTENT_NEIGHBOURS);
  return { ...base, intent: { category: vote.category, confidence: vote.confidence } };
}

/** English function words the shared detector does not vote with; short English questions need them. */
const ENGLISH_EXTRA = new Set(["i", "do", "this", "have", "where", "need", "will", "are", "for", "which", "there", "any", "if", "or", "be", "in", "on", "would", "should", "that", "get", "use", "work", "why", "when"]);
const LATIN_TAGS = new Set(["de", "fr", "es", "it", "nl", "pt"]);

/**
 * `detectLanguage` with a second look at short Latin-script texts: "where do I buy a replacement remote?" has none of
 * the detector's English markers and one Portuguese one ("do"), so it would be answered in Portuguese.
 */
export function customerLanguage(text: string): string {
  const language = detectLanguage(text);
  if (!LATIN_TAGS.has(language)) return language;
  const words = text.toLowerCase().match(/\p{L}+/gu) ?? [];
  const english = words.filter((w) => ENGLISH_EXTRA.has(w)).length;
  return english >= 2 && english >= words.length * 0.25 ? "en" : language;
}

const WORD = /\p{L}+/gu;

/**
 * How sure the language tag is: for CJK the share of letters in that script; for Latin-script languages the amount of
 * text (few words → unsure) times how far the detected language is from a coin flip.
 */
export function languageConfidence(text: string, language: string): number {
  const letters = countScript(text, "letter");
  if (letters === 0) return 0;
  const script = language === "zh" ? "han" : language === "ja" ? "kana" : language === "ko" ? "hangul" : undefined;
  if (script) {
    const share = countScript(text, script) / letters;
    return round(Math.min(1, 0.5 + share));
  }
  const words = text.match(WORD)?.length ?? 0;
  return round(Math.min(0.95, 0.4 + 0.05 * words));
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
