import type { HistoryTurn } from "../domain/answer.js";
import type { ScoredChunk } from "../retrieval/retrieve.js";
import { contentTerms, overlapWithTerms, stripMarkers } from "./overlap.js";

/**
 * A follow-up asking to reverse what was just explained ("and how do I undo that?", "how do I turn it back off?",
 * "那怎么取消？"). Its rewrite still names the topic, so retrieval ranks the passage already given first again; the
 * customer wants a different one.
 */
export const REVERSAL_RE = /\b(?:undo|revert|reverse|roll\s*back|go\s+back|cancel|turn\s+(?:it|that|this)\s+(?:back\s+)?off|switch\s+(?:it|that|this)\s+off|disable|deactivate|opposite|get\s+out\s+of|leave|exit)\b|撤销|撤消|取消|还原|恢复|关闭|退出/iu;
/** A chunk holding this share of the previous reply's content terms is the passage that reply came from. */
const GIVEN_SHARE = 0.8;

/**
 * For a reversal follow-up, leaves out the chunks the previous assistant reply was taken from — unless such a chunk
 * itself speaks of reversing (the manual explains both in one passage), so it may hold the answer. Anything else, or
 * when every chunk was already given, returns `chunks` unchanged. Leaving them out (rather than ranking them lower)
 * matters: the extractive composer weighs retrieval scores, and the given passage still matches the topic best.
 */
export function avoidGivenPassage(question: string, history: readonly HistoryTurn[], chunks: readonly ScoredChunk[]): ScoredChunk[] {
  if (!REVERSAL_RE.test(question)) return [...chunks];
  const previous = [...history].reverse().find((t) => t.role === "assistant")?.content;
  if (!previous || stripMarkers(previous).trim() === "") return [...chunks];
  const previousReversal = REVERSAL_RE.test(previous);
  const topic = [...history].reverse().find((t) => t.role === "user")?.content ?? "";
  const given = (c: ScoredChunk): boolean =>
    overlapWithTerms(stripMarkers(previous), contentTerms(c.text)) >= GIVEN_SHARE && (previousReversal || !speaksOfReversing(c.text, topic));
  const fresh = chunks.filter((c) => !given(c));
  return fresh.length === 0 ? [...chunks] : fresh;
}

/** Verbs a manual uses for reversing what it just explained ("remove the hold", "disable", "turn it off"). */
const REVERSING_VERB_RE = /\b(?:undo|revert|reverse|remove|delete|disable|deactivate|cancel|restore|turn(?:ed|s)?\s+(?:\w+\s+)?off|switch(?:ed|es)?\s+(?:\w+\s+)?off|leave|exit)\b/iu;
/** Words short enough to be un-/dis- prefixed by accident ("un" + "it" is not a reversal). */
const MIN_PREFIXED_WORD = 3;

/**
 * Whether `text` speaks of reversing: a reversal word of a follow-up, a reversing verb, or an un-/dis- form of a word
 * of the topic question ("unhold" for "put a package on hold", "unmount" for "mount the volume").
 */
export function speaksOfReversing(text: string, topic: string): boolean {
  return REVERSAL_RE.test(text) || REVERSING_VERB_RE.test(text) || reversesTopicWord(text, topic);
}

/** Whether `text` holds an un-/dis- form of a word of `topic` ("unhold" for "put a package on hold"). */
export function reversesTopicWord(text: string, topic: string): boolean {
  const lower = text.toLowerCase();
  for (const w of topic.toLowerCase().match(/\p{L}+/gu) ?? []) {
    if (w.length >= MIN_PREFIXED_WORD && (lower.includes(`un${w}`) || lower.includes(`dis${w}`))) return true;
  }
  return false;
}
