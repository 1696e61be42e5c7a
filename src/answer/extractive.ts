import { BoundedMemo } from "../text/bounded-memo.js";
import type { Source } from "../domain/answer.js";
import { queryTerms } from "../text/analyzer.js";
import { focusTerms } from "../text/question-focus.js";
import type { AnswerComposer, ComposeRequest, ComposedAnswer } from "./composer.js";
import { contentTerms } from "./overlap.js";
import type { SourceMemos } from "./source-memos.js";
import { usSpelling } from "./spelling-variants.js";
import { DEFAULT_EXTRACTIVE_OPTIONS, type ExtractiveOptions } from "./extractive-options.js";
import { type Doc, type Sentence, expandsList, groupOf, listAround, sentenceIdf, splitSource } from "./extractive-blocks.js";
import { renderDoc } from "./extractive-render.js";
import { REVERSAL_RE, reversesTopicWord, speaksOfReversing } from "./follow-up.js";
import { type Ctx, type Unit, capBlocks, passage, windowPassage } from "./extractive-passage.js";

export { wordCount } from "./extractive-blocks.js";
export { DEFAULT_EXTRACTIVE_OPTIONS, type ExtractiveOptions } from "./extractive-options.js";

/** Analyzer stems of question words that are not stop words but seldom occur in the answering sentence. */
const FILLER_TERMS = new Set(["mani", "much", "long", "often", "far", "big", "kind", "type", "wai", "happen", "mean", "possibl", "abl", "need", "want", "know", "tell", "explain"]);

const PROCEDURAL_RE =
  /\b(?:how\s+(?:do|can|should|would|could|to)\b|what\s+(?:should|do|must)\s+(?:i|we|you)\s+do\b|steps?\b|instructions?\b|procedure\b|wie\s+(?:kann|muss|soll)|comment\s|cómo\s)|如何|怎么|怎样|步骤|方法|どうやって|手順/iu;

/**
 * The embedded default composer: no model, only sentences copied from the sources. Each sentence is scored by the
 * IDF-weighted share of the question's terms it contains (IDF estimated over the given sources' sentences; terms of
 * the source's title and section path count partly), scaled by the source's rank. The best block (a prose sentence,
 * a list item or table row, or a whole numbered procedure for how-to questions) anchors the reply; a prose anchor
 * grows into the passage around it: back over the menu path that introduces it, forward through the sentences that
 * continue it until a paragraph break, a new menu path or the word budget. Blocks of further sources are added only
 * when they bring question terms the reply lacks (compound questions). Only sources whose retrieval score is close
 * to the top source's are quoted: a sentence that matches the question's words well in a clearly weaker source is
 * more often from the wrong section than the retrieval ranking is.
 */
export class ExtractiveComposer implements AnswerComposer {
  readonly kind = "extractive" as const;
  private readonly options: ExtractiveOptions;
  /** Sources' sentences by text: popular chunks are cited by many answers (~5 KB each, so ≤ ~10 MB). */
  private readonly splits = new BoundedMemo<readonly Sentence[]>(2048);

  /**
   * @param memos the answering pipeline's source memos: the sentence spans and sentences' terms found here are then
   *   not computed again when the reply's citations are verified (see source-memos.ts).
   */
  constructor(
    options: Partial<ExtractiveOptions> = {},
    private readonly memos?: Pick<SourceMemos, "spans" | "sentenceTerms">,
  ) {
    this.options = { ...DEFAULT_EXTRACTIVE_OPTIONS, ...options };
  }

  async compose(request: ComposeRequest): Promise<ComposedAnswer> {
    const text = this.extract(request.question, request.sources, request.language);
    if (text === "") return { text: "", refused: true, degraded: false };
    request.onToken?.(text);
    return { text, refused: false, degraded: false };
  }

  /** The cited reply, or "" when no sentence of any source shares a term with the question. */
  extract(asked: string, sources: readonly Source[], language: string): string {
    const question = usSpelling(asked, language);
    const q = queryTerms(question);
    if (q.length === 0) return "";
    const { ranked, mates: sectionMates } = splitMates(sources);
    const memos = this.memos;
    const docs = ranked.map((source, rank) => splitSource(source, rank, language, this.splits, memos));
    const mateDocs = sectionMates.map((source) => splitSource(source, docs.findIndex((d) => sameSection(d.source, source)), language, this.splits, memos));
    const idf = sentenceIdf(docs, q);
    const o = this.options;
    const focus = focusTerms(question, language);
    const weightOf = (t: string): number => idf.get(t)! * (FILLER_TERMS.has(t) ? o.fillerWeight : 1) * (focus.has(t) ? 1 + o.focusBoost : 1);
    const reversal = REVERSAL_RE.test(question) && !ASKS_NECESSITY_RE.test(question);
    const ctx: Ctx = { weights: new Map(q.map((t) => [t, weightOf(t)])), procedural: PROCEDURAL_RE.test(question), reversal, language, o };
    if (reversal) markReversing([...docs, ...mateDocs], question, ctx.weights as Map<string, number>);
    const quotable = quotableSources(sources, o.minSourceScore);
    const units = docs.filter((doc) => quotable.has(doc.source)).flatMap((doc) => unitsOf(doc, ctx)).sort((a, b) => b.score - a.score || a.doc.rank - b.doc.rank || a.indices[0]! - b.indices[0]!);
    const anchor = units[0];
    if (!anchor) return "";
    const mates = mateDocs.filter((d) => quotable.has(d.source) && sameSection(d.source, anchor.doc.source));
    // Curated answers are written as knowledge text: quoted as a passage, like a manual.
    const windowed = anchor.doc.source.sourceType === "ticket" ? undefined : windowPassage(anchor, ctx, mates);
    const quoted = windowed?.doc ?? anchor.doc;
    const primary = anchor.doc.source.sourceType === "ticket" ? bestBlocks(anchor, units, ctx) : (windowed?.indices ?? passage(anchor, ctx));
    const capped = capBlocks(quoted, primary, quoted === anchor.doc ? anchor.indices : []);
    const picked = new Map<Doc, Set<number>>([[quoted, new Set(capped.indices)]]);
    if (!(anchor.procedure && ctx.procedural)) addFromOtherSources(picked, units, { ...anchor, doc: quoted }, ctx);
    return [...picked].flatMap(([doc, indices]) => renderDoc(doc, indices, language, doc === quoted ? capped.cut : undefined)).join("\n");
  }
}

/**
 * "Do I have to disable it?", "must I uninstall the old one first?": the question asks whether the reversing action is
 * needed, not how to reverse something — the answer is about the topic's own state ("works with secure boot enabled"),
 * so sentences are not lifted for speaking of reversing (the question's own verb still counts as a term). "What should I
 * do to undo it?" and "how must I revert it?" still ask how.
 */
const ASKS_NECESSITY_RE =
  /(?<!\b(?:how|what)\s+)\b(?:(?:do|does|did|will|would)\s+(?:i|we|you|one)\s+(?:have|need)\s+to|(?:must|should)\s+(?:i|we|you|one)|is\s+it\s+(?:necessary|required|needed)\s+to)\b/iu;

/**
 * Sources in rank order, and the section mates among them (`Source.sectionMate`, retrieval's `sectionMate`). A mate
 * is context for its section's top chunk, not a ranked source: it is left out of the IDF, of the ranks and of the
 * anchor's choice, and only offers its best run in place of the anchor's (see `windowPassage`), so it never changes
 * an answer except by holding the better passage of the same section. Only flagged sources are mates: callers may
 * give several chunks of one section (or of sectionless text) as ranked sources.
 */
function splitMates(sources: readonly Source[]): { ranked: Source[]; mates: Source[] } {
  const isMate = (s: Source): boolean => s.sectionMate === true && sources.some((r) => !r.sectionMate && sameSection(r, s));
  return { ranked: sources.filter((s) => !isMate(s)), mates: sources.filter(isMate) };
}

/** Two sources from the same section of the same document (chunks of one long section). */
function sameSection(a: Source, b: Source): boolean {
  return a.documentId === b.documentId && a.sectionPath.length === b.sectionPath.length && a.sectionPath.every((p, i) => p === b.sectionPath[i]);
}

/** Stands for "reverses something" among a sentence's terms: not a word any text can contain. */
const REVERSING_TERM = "\u0000reverse";

/**
 * "and how do I undo that?" asks for the reverse action: sentences that speak of reversing the topic ("remove the hold
 * with apt-mark unhold") hold a term weighing as much as the question's weightiest one, so the reply quotes them and
 * not the passage that did the action. Only sentences about the topic (naming a question term, or an un-/dis- form of
 * one of its words) are marked: the marker alone would make "Often it is the Delete or the F2 key" an answer to "do I
 * have to disable secure boot?". Sentences are per-answer copies (their term sets shared): replaced, not changed.
 */
function markReversing(docs: readonly Doc[], question: string, weights: Map<string, number>): void {
  weights.set(REVERSING_TERM, Math.max(0, ...weights.values()));
  const topical = (s: Sentence): boolean => [...s.terms].some((t) => weights.has(t)) || reversesTopicWord(s.text, question);
  for (const doc of docs) for (const s of doc.sentences) if (!s.skip && speaksOfReversing(s.text, question) && topical(s)) s.terms = new Set([...s.terms, REVERSING_TERM]);
}

/** Sources scoring at least `share` of the best retrieval score; all of them when scores give no scale. */
function quotableSources(sources: readonly Source[], share: number): Set<Source> {
  const top = Math.max(...sources.map((s) => s.score));
  if (!(top > 0) || !(share > 0)) return new Set(sources);
  return new Set(sources.filter((s) => s.score >= share * top));
}

function scoreSentences(doc: Doc, { weights, language, o }: Ctx): void {
  const section = contentTerms(usSpelling([doc.source.title, ...doc.source.sectionPath].join("\n"), language));
  let total = 0;
  for (const w of weights.values()) total += w;
  let sectionCovered = 0;
  for (const [t, w] of weights) if (section.has(t)) sectionCovered += w;
  const prior = Math.pow(o.rankDecay, doc.rank) * (1 + (total > 0 ? (o.sectionBoost * sectionCovered) / total : 0));
  for (const s of doc.sentences) {
    let covered = 0;
    for (const [t, w] of weights) {
      if (s.terms.has(t)) {
        covered += w;
        s.own = true;
      } else if (section.has(t)) covered += w * o.sectionTermWeight;
    }
    s.score = total > 0 ? ((covered / total) * prior * (s.literal ? 1 + o.literalBoost : 1)) / (1 + (o.lengthPenalty * s.words) / 25) : 0;
  }
}

function unitsOf(doc: Doc, ctx: Ctx): Unit[] {
  scoreSentences(doc, ctx);
  const units = new Map<string, Unit>();
  doc.sentences.forEach((s, i) => {
    if (!s.own || s.skip) return;
    const expand = expandsList(doc, i, ctx.procedural);
    const list = s.group >= 0 || s.leadIn ? listAround(doc, i, ctx.o.maxSteps) : undefined;
    const indices = expand && list ? list : s.group >= 0 ? groupOf(doc, s.group) : [i];
    const procedure = expand && indices.length >= 2 && indices.some((k) => doc.sentences[k]?.ordered);
    // A numbered procedure answering a how-to question is as actionable as a literal: it gets the literal boost too.
    const actionable = procedure && ctx.procedural && !s.literal ? 1 + ctx.o.literalBoost : 1;
    const score = s.score * (procedure && ctx.procedural ? ctx.o.procedureBoost * actionable : 1);
    const key = `${indices[0]}:${indices.length}`;
    const known = units.get(key);
    if (!known || known.score < score) units.set(key, { doc, indices, score, procedure });
  });
  return [...units.values()];
}

/**
 * Conversations (tickets) are not topical passages: the anchor and the source's other blocks that score close to
 * it, best first, within the block and word budgets (Latin budget: ticket replies are short either way).
 */
function bestBlocks(anchor: Unit, units: readonly Unit[], { o }: Ctx): number[] {
  const out = new Set<number>();
  let words = 0;
  let blocks = 0;
  for (const u of units) {
    if (u.doc !== anchor.doc || u.score < anchor.score * o.minRelativeScore || blocks >= o.maxSentences) continue;
    const fresh = u.indices.filter((k) => !out.has(k));
    const w = fresh.reduce((a, k) => a + (anchor.doc.sentences[k]?.words ?? 0), 0);
    if (fresh.length === 0 || (blocks > 0 && words + w > o.maxWords)) continue;
    for (const k of fresh) out.add(k);
    words += w;
    blocks++;
    if (u.procedure) break;
  }
  return [...out];
}

/** Compound questions: blocks of the next sources that cover question terms the reply still lacks. */
function addFromOtherSources(picked: Map<Doc, Set<number>>, units: readonly Unit[], anchor: Unit, { weights, o }: Ctx): void {
  const covered = new Set<string>();
  for (const [doc, indices] of picked) for (const i of indices) for (const t of doc.sentences[i]?.terms ?? []) covered.add(t);
  let total = 0;
  for (const w of weights.values()) total += w;
  let added = 0;
  for (const u of units) {
    if (u.doc === anchor.doc || u.doc.rank > o.extraSources || added >= o.extraSources) continue;
    const terms = new Set(u.indices.flatMap((k) => [...(u.doc.sentences[k]?.terms ?? [])]));
    let gain = 0;
    for (const [t, w] of weights) if (terms.has(t) && !covered.has(t)) gain += w;
    if (gain < o.minNewTermShare * total) continue;
    const set = picked.get(u.doc) ?? new Set<number>();
    for (const k of u.indices) set.add(k);
    picked.set(u.doc, set);
    for (const t of terms) covered.add(t);
    added++;
  }
}
