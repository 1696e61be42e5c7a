import { CJK_CHARS } from "../text/cjk.js";
import { type Doc, type Sentence, LEAD_OUT_END_RE, ROW_RE, listAround } from "./extractive-blocks.js";
import type { ExtractiveOptions } from "./extractive-options.js";
import { answerWindow } from "./extractive-window.js";
import { explainAfter } from "./extractive-explain.js";

/**
 * How an anchor grows into the passage a reply quotes: back over the menu path or the procedure step that leads to
 * it, forward through the sentences that continue it, never cutting a command block, and carrying what a lead-out
 * introduces.
 */

export const CJK_TEXT_RE = new RegExp(`[${CJK_CHARS}]{4}`, "u");

/** What enters the reply together: a prose sentence, a list item, a table row, or a numbered procedure. */
export interface Unit {
  doc: Doc;
  indices: number[];
  score: number;
  procedure: boolean;
}

export interface Ctx {
  weights: ReadonlyMap<string, number>;
  procedural: boolean;
  /** The question asks to reverse something ("undo that"): the step before a passage is the action, not a prerequisite. */
  reversal: boolean;
  /** The question's language (English spelling variants are folded for it, see spelling-variants.ts). */
  language: string;
  o: ExtractiveOptions;
}

/**
 * The anchor with its context: a numbered procedure or a list item stands alone; a prose sentence takes the menu
 * path right before it and the sentences after it until a paragraph break or a new menu path (once the passage
 * has `minSpanWords`), a list or table, or the word budget.
 */
export function passage(anchor: Unit, { o, procedural, reversal }: Ctx, complete = false): number[] {
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
  end = carryList(anchor.doc, start, end, o);
  [start, end] = wholeBlock(ss, ...reachLiteral(ss, start, end, o));
  if (!reversal) start = stepBefore(ss, start);
  const stepped = stepAfter(ss, end);
  end = stepped === end ? explainAfter(ss, start, end, budget) : stepped;
  const out: number[] = [];
  for (let k = start; k <= end; k++) out.push(k);
  return out;
}

/**
 * The best run of the anchor's source (`answerWindow`), grown like any passage (option 1) or only up to
 * `minSpanWords` (option 2); either carries what a lead-out introduces and a next literal. Undefined = not used.
 * `mates`: other chunks of the anchor's section (see `RetrievalResult.sectionMate`); a run of one of them that holds a
 * literal wins when it scores higher, its score scaled by the chunk's retrieval score relative to the anchor's: a
 * long section's option or command often sits one chunk away from the sentences that name the topic best.
 */
export function windowPassage(anchor: Unit, ctx: Ctx, mates: readonly Doc[] = []): Unit | undefined {
  const { o, procedural, weights } = ctx;
  // CJK sources keep the anchor grown forward: their short replies (a 30-word budget) gain nothing from a run.
  if (!(o.answerWindow > 0) || (anchor.procedure && procedural) || CJK_TEXT_RE.test(anchor.doc.source.text)) return undefined;
  let best: { doc: Doc; run: [number, number]; score: number; literal: boolean } | undefined;
  for (const doc of [anchor.doc, ...mates]) {
    const found = answerWindow(doc.sentences, weights, o.maxWords, o.literalBoost);
    // A mate's run replaces the anchor's only with a literal of its own (the option, the command): one that merely
    // restates the question's words better is the section's introduction, and the anchor's chunk ranked higher.
    if (!found || (doc !== anchor.doc && !found.literal)) continue;
    const scale = doc === anchor.doc || !(anchor.doc.source.score > 0) ? 1 : Math.min(1, doc.source.score / anchor.doc.source.score);
    const means = doc !== anchor.doc && procedural && best && !best.literal ? HOW_TO_MEANS_PREFERENCE : 1;
    const score = found.score * scale * means;
    if (!best || score > best.score) best = { doc, run: found.run, score, literal: found.literal };
  }
  if (!best) return undefined;
  const indices: number[] = [];
  for (let k = best.run[0]; k <= best.run[1]; k++) indices.push(k);
  const unit = { ...anchor, doc: best.doc, indices, procedure: false };
  return { ...unit, indices: passage(unit, ctx, o.answerWindow >= 2) };
}

/**
 * A how-to question asks for the means: when the anchor's run holds no literal, a run of the section's other chunk
 * that holds one (the command, the option) counts this many times more. Measured on pdf-manuals: 1.5 changes no
 * answer; 2–3 quote "The following command … can be used to generate a … crypt(3) hash: mkpasswd -m sha-512" instead
 * of "For the passwords you can use either clear text values or crypt(3) hashes", and change nothing else in any mode.
 */
const HOW_TO_MEANS_PREFERENCE = 2.5;

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

/** Most words a passage takes from before it for the procedure step it continues. */
const STEP_BACK_WORDS = 40;

/**
 * A passage starting right after a command block continues a procedure ("Then edit the resulting file…", "This will
 * scan all volumes…"): it starts at the step before — the block with the lead-out introducing it ("…export the list
 * with:"), from that lead-out's paragraph start when it fits {@link STEP_BACK_WORDS}, else from the lead-out.
 */
function stepBefore(ss: readonly Sentence[], start: number): number {
  let k = start - 1;
  if (k < 0 || !ss[k]!.verbatim) return start;
  while (k > 0 && ss[k]!.verbatim) k--;
  const leadOut = ss[k]!;
  if (leadOut.verbatim || leadOut.skip || leadOut.group >= 0 || !LEAD_OUT_END_RE.test(leadOut.text)) return start;
  let words = 0;
  for (let j = k; j < start; j++) words += ss[j]!.words;
  if (words > STEP_BACK_WORDS) return start;
  let from = k;
  while (from > 0 && !ss[from]!.paragraph) {
    const prev = ss[from - 1]!;
    if (prev.verbatim || prev.skip || prev.group >= 0 || prev.label || ROW_RE.test(prev.text) || words + prev.words > STEP_BACK_WORDS) break;
    words += prev.words;
    from--;
  }
  return ss[from]!.paragraph || from === 0 ? from : k;
}

/**
 * A passage ending on a command block takes the next step when it is short: a paragraph whose last sentence is a
 * lead-out followed by its block ("Save the file, and reload it with:" `dpkg --set-selections < selections.txt`;
 * "This is the option to be enabled:" `PermitRootLogin yes`) — within {@link STEP_BACK_WORDS}, one step only.
 */
function stepAfter(ss: readonly Sentence[], end: number): number {
  if (!ss[end]?.verbatim || !ss[end + 1]?.paragraph) return end;
  let words = 0;
  let k = end + 1;
  for (; k < ss.length && !ss[k]!.verbatim; k++) {
    const s = ss[k]!;
    if (s.skip || s.group >= 0 || s.label || ROW_RE.test(s.text) || (k > end + 1 && s.paragraph)) return end;
    words += s.words;
  }
  if (k >= ss.length || !LEAD_OUT_END_RE.test(ss[k - 1]!.text)) return end;
  while (k + 1 < ss.length && ss[k + 1]!.verbatim && !ss[k + 1]!.paragraph) k++;
  for (let j = end + 1; j <= k; j++) if (ss[j]!.verbatim) words += ss[j]!.words;
  return words <= STEP_BACK_WORDS ? k : end;
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
 * A passage that ends inside a list its own lead-out introduces ("…do the following steps:" • Orphan… • Remove…)
 * carries the rest of it, as one ending on the lead-out does ({@link carryFollowing}): the answer window counts the
 * first item as what the lead-out introduces and stopped there, quoting one of five retirement steps.
 */
function carryList(doc: Doc, start: number, end: number, o: ExtractiveOptions): number {
  const ss = doc.sentences;
  const last = ss[end];
  if (!last || last.group < 0 || ROW_RE.test(last.text)) return end;
  const list = listAround(doc, last.group, o.maxSteps);
  const lead = list[0];
  if (lead === undefined || lead < start || lead >= end || !ss[lead]?.leadIn || !LEAD_OUT_END_RE.test(ss[lead]!.text)) return end;
  return Math.max(end, ...list);
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


/**
 * Most lines of a command or code block a reply quotes when the block only follows the passage's sentence: a whole
 * console log or configuration file after a one-sentence answer buries it (the reply grows by 12–20 lines).
 */
const MAX_QUOTED_BLOCK_LINES = 8;

/**
 * `indices` with every block (a run of verbatim lines) longer than {@link MAX_QUOTED_BLOCK_LINES} cut to its first
 * lines, unless the anchor is one of the lines after them (the question asks about that part of the block); `cut`
 * holds the last line kept of each cut block, rendered with "…".
 */
export function capBlocks(doc: Doc, indices: readonly number[], anchor: readonly number[]): { indices: number[]; cut: Set<number> } {
  const ss = doc.sentences;
  const sorted = [...new Set(indices)].sort((a, b) => a - b);
  const out: number[] = [];
  const cut = new Set<number>();
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    const inRun = (k: number): boolean => ss[sorted[k]!]?.verbatim === true;
    if (inRun(i)) while (j + 1 < sorted.length && inRun(j + 1) && sorted[j + 1] === sorted[j]! + 1 && !ss[sorted[j + 1]!]!.paragraph) j++;
    const run = sorted.slice(i, j + 1);
    // An anchor deep in the block asks about that line: the block stays whole. One among its first lines (the prompt
    // line of a console session, "# tool check") asks about the command, not its whole output.
    if (run.length > MAX_QUOTED_BLOCK_LINES && inRun(i) && !run.slice(MAX_QUOTED_BLOCK_LINES).some((k) => anchor.includes(k))) {
      out.push(...run.slice(0, MAX_QUOTED_BLOCK_LINES));
      cut.add(run[MAX_QUOTED_BLOCK_LINES - 1]!);
    } else out.push(...run);
    i = j + 1;
  }
  return { indices: out, cut };
}
