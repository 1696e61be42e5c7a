import type { HistoryTurn } from "../domain/answer.js";
import type { ScoredChunk } from "../retrieval/retrieve.js";
import { contentTerms, overlapWithTerms, stripMarkers } from "./overlap.js";

/**
 * A follow-up asking to reverse what was just explained ("and how do I undo that?", "how do I turn it back off?",
 * "那怎么取消？"). Its rewrite still names the topic, so retrieval ranks the passage already given first again; the
 * customer wants a different one.
 */
const REVERSAL_RE = /\b(?:undo|revert|reverse|roll\s*back|go\s+back|cancel|turn\s+(?:it|that|this)\s+(?:back\s+)?off|switch\s+(?:it|that|this)\s+off|disable|deactivate|opposite|get\s+out\s+of|leave|exit)\b|撤销|撤消|取消|还原|恢复|关闭|退出/iu;
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
  const given = (c: ScoredChunk): boolean =>
    overlapWithTerms(stripMarkers(previous), contentTerms(c.text)) >= GIVEN_SHARE && (previousReversal || !REVERSAL_RE.test(c.text));
  const fresh = chunks.filter((c) => !given(c));
  return fresh.length === 0 ? [...chunks] : fresh;
}
