/**
 * The `lead` baseline for datasets scored by ROUGE (issue #11): the answer is the first {@link LEAD_SENTENCES}
 * sentences of plain `bm25` mode's top result. Fixed and never tuned: its own simple sentence rule (not the
 * product's splitter, which other work changes), so the baseline stays the same while the product moves.
 */
export const LEAD_SENTENCES = 4;

/** Sentence ends: ., !, ? (optionally closed by a quote or bracket) before whitespace; CJK 。！？ anywhere. */
const SENTENCE_END_RE = /(?<=[.!?]["')\]]?)\s+|(?<=[。！？])/u;

/** The first `n` sentences of `text`, whitespace collapsed. */
export function leadSentences(text: string, n = LEAD_SENTENCES): string {
  const sentences = text
    .replace(/\s+/g, " ")
    .trim()
    .split(SENTENCE_END_RE)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  return sentences.slice(0, n).join(" ");
}
