import { BoundedMemo } from "../text/bounded-memo.js";
import type { Source } from "../domain/answer.js";
import { queryTerms } from "../text/analyzer.js";
import { focusTerms } from "../text/question-focus.js";
import type { AnswerComposer, ComposeRequest, ComposedAnswer } from "./composer.js";
import { contentTerms } from "./overlap.js";
import { answerWindow } from "./extractive-window.js";
import { DEFAULT_EXTRACTIVE_OPTIONS, type ExtractiveOptions } from "./extractive-options.js";
import { type Doc, type Sentence, LEAD_OUT_END_RE, ROW_RE, expandsList, groupOf, listAround, renderDoc, sentenceIdf, splitSource } from "./extractive-blocks.js";

export { wordCount } from "./extractive-blocks.js";
export { DEFAULT_EXTRACTIVE_OPTIONS, type ExtractiveOptions } from "./extractive-options.js";

/** Analyzer stems of question words that are not stop words but seldom occur in the answering sentence. */
const FILLER_TERMS = new Set(["mani", "much", "long", "often", "far", "big", "kind", "type", "wai", "happen", "mean", "possibl", "abl", "need", "want", "know", "tell", "explain"]);

const PROCEDURAL_RE =
  /\b(?:how\s+(?:do|can|should|would|could|to)\b|what\s+(?:should|do|must)\s+(?:i|we|you)\s+do\b|steps?\b|instructions?\b|procedure\b|wie\s+(?:kann|muss|soll)|comment\s|cómo\s)|如何|怎么|怎样|步骤|方法|どうやって|手順/iu;
const CJK_TEXT_RE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]{4}/u;

/** What enters the reply together: a prose sentence, a list item, a table row, or a numbered procedure. */
interface Unit {
  doc: Doc;
  indices: number[];
  score: number;
  procedure: boolean;
}

interface Ctx {
  weights: ReadonlyMap<string, number>;
  procedural: boolean;
  o: ExtractiveOptions;
}

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

  constructor(options: Partial<ExtractiveOptions> = {}) {
    this.options = { ...DEFAULT_EXTRACTIVE_OPTIONS, ...options };
  }

  async compose(request: ComposeRequest): Promise<ComposedAnswer> {
    const text = this.extract(request.question, request.sources, request.language);
    if (text === "") return { text: "", refused: true, degraded: false };
    request.onToken?.(text);
    return { text, refused: false, degraded: false };
  }

  /** The cited reply, or "" when no sentence of any source shares a term with the question. */
  extract(question: string, sources: readonly Source[], language: string): string {
    const q = queryTerms(question);
    if (q.length === 0) return "";
    const docs = sources.map((source, rank) => splitSource(source, rank, language, this.splits));
    const idf = sentenceIdf(docs);
    const o = this.options;
    const focus = focusTerms(question, language);
    const weightOf = (t: string): number => idf(t) * (FILLER_TERMS.has(t) ? o.fillerWeight : 1) * (focus.has(t) ? 1 + o.focusBoost : 1);
    const ctx: Ctx = { weights: new Map(q.map((t) => [t, weightOf(t)])), procedural: PROCEDURAL_RE.test(question), o };
    const quotable = quotableSources(sources, o.minSourceScore);
    const units = docs.filter((doc) => quotable.has(doc.source)).flatMap((doc) => unitsOf(doc, ctx)).sort((a, b) => b.score - a.score || a.doc.rank - b.doc.rank || a.indices[0]! - b.indices[0]!);
    const anchor = units[0];
    if (!anchor) return "";
    // Curated answers are written as knowledge text: quoted as a passage, like a manual.
    const primary = anchor.doc.source.sourceType === "ticket" ? bestBlocks(anchor, units, ctx) : (windowPassage(anchor, ctx) ?? passage(anchor, ctx));
    const picked = new Map<Doc, Set<number>>([[anchor.doc, new Set(primary)]]);
    if (!(anchor.procedure && ctx.procedural)) addFromOtherSources(picked, units, anchor, ctx);
    return [...picked].flatMap(([doc, indices]) => renderDoc(doc, indices, language)).join("\n");
  }
}

/** Sources scoring at least `share` of the best retrieval score; all of them when scores give no scale. */
function quotableSources(sources: readonly Source[], share: number): Set<Source> {
  const top = Math.max(...sources.map((s) => s.score));
  if (!(top > 0) || !(share > 0)) return new Set(sources);
  return new Set(sources.filter((s) => s.score >= share * top));
}

function scoreSentences(doc: Doc, { weights, o }: Ctx): void {
  const section = contentTerms([doc.source.title, ...doc.source.sectionPath].join("\n"));
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
 * The anchor with its context: a numbered procedure or a list item stands alone; a prose sentence takes the menu
 * path right before it and the sentences after it until a paragraph break or a new menu path (once the passage
 * has `minSpanWords`), a list or table, or the word budget.
 */
function passage(anchor: Unit, { o, procedural }: Ctx, complete = false): number[] {
  const ss = anchor.doc.sentences;
  const first = Math.min(...anchor.indices);
  const last = Math.max(...anchor.indices);
  if (anchor.procedure || ss[first]?.group !== -1) return anchor.indices;
  const budget = CJK_TEXT_RE.test(anchor.doc.source.text) ? o.maxWordsCjk : o.maxWords;
  let start = pathBefore(ss, first, o);
  let words = 0;
  for (let k = start; k <= last; k++) words += ss[k]?.words ?? 0;
  if (start === first && procedural) [start, words] = paragraphStart(ss, first, words, budget);
  let end = last;
  for (let k = last + 1; k < ss.length; k++) {
    const s = ss[k]!;
    // A complete run (answerWindow 2) already holds what answers: it only grows to `minSpanWords`, at any sentence.
    const boundary = complete || s.paragraph || (s.label && !ss[k - 1]?.label);
    const carriesLiteral = o.literalBoost > 0 && s.literal && !passageHasLiteral(ss, start, end);
    if ((boundary && words >= o.minSpanWords && !carriesLiteral) || s.group >= 0 || ROW_RE.test(s.text) || s.skip) break;
    if (words + s.words > budget) break;
    words += s.words;
    end = k;
  }
  end = carryFollowing(anchor.doc, Math.min(end, start + o.maxSentences - 1), o);
  [start, end] = wholeBlock(ss, ...reachLiteral(ss, start, end, o));
  const out: number[] = [];
  for (let k = start; k <= end; k++) out.push(k);
  return out;
}

/**
 * The best run of the anchor's source (`answerWindow`), grown like any passage (option 1) or only up to
 * `minSpanWords` (option 2); either carries what a lead-out introduces and a next literal. Undefined = not used.
 */
function windowPassage(anchor: Unit, ctx: Ctx): number[] | undefined {
  const { o, procedural, weights } = ctx;
  // CJK sources keep the anchor grown forward: their short replies (a 30-word budget) gain nothing from a run.
  if (!(o.answerWindow > 0) || (anchor.procedure && procedural) || CJK_TEXT_RE.test(anchor.doc.source.text)) return undefined;
  const run = answerWindow(anchor.doc.sentences, weights, o.maxWords, o.literalBoost);
  if (!run) return undefined;
  const indices: number[] = [];
  for (let k = run[0]; k <= run[1]; k++) indices.push(k);
  return passage({ ...anchor, indices, procedure: false }, ctx, o.answerWindow >= 2);
}

/** How far (in sentences) a passage without a literal looks for one, and the extra words it may take for it. */
const LITERAL_REACH = 2;
const LITERAL_EXTRA_WORDS = 40;

/**
 * A passage that names no literal borrows the nearest sentence that does, just before or after it (never over a
 * heading, list or table): "a good way to find the chipset is the device IDs…" is only useful with the next line's
 * "lsusb", and "press F12 for the boot menu" often stands just before the sentence naming the topic.
 */
function reachLiteral(ss: readonly Sentence[], start: number, end: number, o: ExtractiveOptions): [number, number] {
  if (!(o.literalBoost > 0) || passageHasLiteral(ss, start, end)) return [start, end];
  const blocked = (s: Sentence | undefined): boolean => !s || s.skip || s.group >= 0 || ROW_RE.test(s.text);
  for (let d = 1; d <= LITERAL_REACH; d++) {
    for (const k of [end + d, start - d]) {
      const s = ss[k];
      if (blocked(s)) continue;
      const from = Math.min(start, k);
      const to = Math.max(end, k);
      let between = false;
      for (let j = from; j <= to; j++) between ||= blocked(ss[j]);
      if (between || !s!.literal) continue;
      let extra = 0;
      for (let j = from; j <= to; j++) if (j < start || j > end) extra += ss[j]!.words;
      if (extra <= LITERAL_EXTRA_WORDS) return [from, to];
    }
  }
  return [start, end];
}

function passageHasLiteral(ss: readonly Sentence[], start: number, end: number): boolean {
  for (let k = start; k <= end; k++) if (ss[k]?.literal) return true;
  return false;
}

/**
 * How-to answers start where their paragraph starts: "Run apt-mark hold with the package name. A package on hold is
 * not upgraded…" — the sentence that matched best is often the explanation after the instruction. Back within the
 * word budget, never over a heading, list or paragraph break.
 */
function paragraphStart(ss: readonly Sentence[], first: number, words: number, budget: number): [number, number] {
  let k = first;
  let w = words;
  while (k > 0 && !ss[k]!.paragraph) {
    const prev = ss[k - 1]!;
    if (prev.group >= 0 || prev.skip || prev.label || ROW_RE.test(prev.text) || w + prev.words > budget) break;
    w += prev.words;
    k--;
  }
  return [k, w];
}

/**
 * A passage never cuts a command block: one starting inside it starts at its lead-out, one ending inside it takes
 * its remaining lines (a half-quoted block would be a different command sequence).
 */
function wholeBlock(ss: readonly Sentence[], start: number, end: number): [number, number] {
  let from = start;
  while (from > 0 && ss[from]!.verbatim) from--;
  let to = end;
  while (to + 1 < ss.length && ss[to + 1]!.verbatim && to + 1 - end <= MAX_CARRIED) to++;
  return [from, to];
}

/** Most sentences (lines of a code block, items) carried after a lead-out beyond the passage's own budget. */
const MAX_CARRIED = 12;

/**
 * A passage never ends on a lead-out: it carries the block that follows (the command or code block, the list, the
 * next paragraph), whatever the word budget, up to the next paragraph break or the end of the list.
 */
function carryFollowing(doc: Doc, end: number, o: ExtractiveOptions): number {
  const ss = doc.sentences;
  if (!LEAD_OUT_END_RE.test(ss[end]?.text ?? "") || end + 1 >= ss.length) return end;
  const next = ss[end + 1]!;
  if (next.group >= 0) return Math.max(end, ...listAround(doc, next.group, o.maxSteps));
  let k = end + 1;
  while (k + 1 < ss.length && k - end < MAX_CARRIED && !ss[k + 1]!.paragraph && ss[k + 1]!.group < 0 && !ss[k + 1]!.skip) k++;
  return ss[end + 1]!.skip ? end : k;
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

/** Start of the menu path that introduces sentence `first` (within `maxBackWords` of prose), else `first`. */
function pathBefore(ss: readonly Sentence[], first: number, o: ExtractiveOptions): number {
  let k = first - 1;
  let words = 0;
  while (k >= 0 && !ss[k]!.label) {
    const s = ss[k]!;
    words += s.words;
    if (words > o.maxBackWords || s.group >= 0 || s.skip || ss[k + 1]!.paragraph) return first;
    k--;
  }
  if (k < 0 || ss[k + 1]?.paragraph) return first;
  let start = k;
  while (start > 0 && ss[start - 1]?.label && k - start + 1 < o.maxContext) start--;
  return start;
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
