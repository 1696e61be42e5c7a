/** Options of the extractive composer (`ExtractiveComposer`): fitted by `npm run fit`, defaults below. */
export interface ExtractiveOptions {
  /** Most blocks (a prose sentence, a list item, or a whole numbered procedure). */
  maxSentences: number;
  /** Word budget of Latin-script replies; the anchor block is always kept whole. CJK characters count half a word. */
  maxWords: number;
  /** Word budget when the source is CJK text (denser than English). */
  maxWordsCjk: number;
  /** Least words a passage gets before a paragraph break or menu path ends it. */
  minSpanWords: number;
  /** Conversations (tickets): further blocks of the anchor's source must score this share of the anchor. */
  minRelativeScore: number;
  /** Most label lines (menu path steps) taken from before the anchor. */
  maxContext: number;
  /** A menu path at most this many words before the anchor (same paragraph) starts the passage. */
  maxBackWords: number;
  /** Most items taken from one numbered list. */
  maxSteps: number;
  /** Score multiplier per rank step: source n gets `rankDecay^(n-1)`. */
  rankDecay: number;
  /** A question term found only in the source's title or section path counts this much (0..1). */
  sectionTermWeight: number;
  /** Sources whose title and section path match the question score up to `1 + sectionBoost` times higher. */
  sectionBoost: number;
  /** Longer sentences are damped by `1 / (1 + lengthPenalty * words / 25)`, favouring precise sentences. */
  lengthPenalty: number;
  /** Score multiplier of numbered procedures when the question asks how to do something. */
  procedureBoost: number;
  /** How many sources after the primary one may contribute sentences. */
  extraSources: number;
  /** A block from a further source must bring question terms worth this share of the question's weight. */
  minNewTermShare: number;
  /** Weight of question filler terms ("how many", "how long", "what does it mean") that answers rarely repeat. */
  fillerWeight: number;
  /** Sources whose retrieval score is below this share of the best source's score are not quoted (0 = all are). */
  minSourceScore: number;
  /**
   * Sentences holding a literal (an option, path, key, quantity…) score `1 + literalBoost` times higher, and a
   * passage ending at a paragraph break carries on into a next sentence that holds one: customers ask for the
   * command, the key or the size, and the sentence that names the topic best often stops just before it.
   */
  literalBoost: number;
  /**
   * Terms of the question's asking sentence weigh `1 + focusBoost` times more when the question has several
   * sentences: customers tell the context first ("It keeps falling back to the text one.") and then ask ("How much
   * memory does it need?"); the answer matches what is asked, not the story around it.
   */
  focusBoost: number;
  /**
   * 0: the reply's passage is the anchor sentence grown forward; 1: the run of sentences of the anchor's source that
   * holds the most of the question within the word budget (see `answerWindow`), grown through its paragraph like any
   * passage; 2: that run grown only to `minSpanWords` (shorter replies). Numbered procedures for how-to questions and
   * ticket replies are chosen as before either way.
   */
  answerWindow: number;
}

export const DEFAULT_EXTRACTIVE_OPTIONS: ExtractiveOptions = {
  maxSentences: 12,
  maxWords: 90,
  maxWordsCjk: 30,
  minSpanWords: 25,
  minRelativeScore: 0.6,
  maxContext: 8,
  maxBackWords: 0,
  maxSteps: 8,
  rankDecay: 0.8,
  sectionTermWeight: 0.5,
  sectionBoost: 0.5,
  lengthPenalty: 0,
  procedureBoost: 1.5,
  extraSources: 0,
  minNewTermShare: 0.3,
  fillerWeight: 0.25,
  minSourceScore: 0.9,
  literalBoost: 0.5,
  focusBoost: 1,
  answerWindow: 0,
};
