import type { TextBlock } from "../../src/domain/document.js";
import { InvalidInputError } from "../../src/errors.js";
import { CJK_HANGUL_CHARS } from "../../src/text/cjk.js";
import { paragraphSpans, startsWithListMarker, type TextSpan } from "../../src/text/sentences.js";
import { countTokens } from "../../src/text/tokens.js";
import { type Atom, mergeParagraphs, paragraphRuns, sentenceSpansIn } from "./atoms.js";

/** Options of {@link splitSection}. */
export interface SplitOptions {
  /** Upper bound of a chunk's token count (see {@link countTokens}). */
  maxTokens: number;
  /** Budget of the whole trailing sentences of the previous chunk repeated at the start of the next. */
  overlapTokens: number;
  /** BCP 47 tag steering sentence segmentation. */
  language?: string;
  /** Structural blocks of the text (code, tables, lists): each stays with its lead-in in one chunk when it fits. */
  blocks?: readonly TextBlock[];
}

/** One chunk of a section: its text and character span `[start, end)` into the section text. */
export interface SectionPiece {
  text: string;
  start: number;
  end: number;
}

/** Tail chunks below this share of maxTokens merge into their predecessor... */
const SMALL_TAIL_RATIO = 0.15;
/** ...when the merged chunk stays within this multiple of maxTokens. */
const TAIL_MERGE_SLACK = 1.1;
/** Split units of an over-long sentence: single CJK characters or runs of other non-space characters. */
const UNIT_RE = new RegExp(String.raw`[${CJK_HANGUL_CHARS}]|[^\s${CJK_HANGUL_CHARS}]+`, "gu");

/** Atoms that should stay together: one list item (marker sentence and its follow-ups) or one prose sentence. */
interface Group {
  atoms: Atom[];
  tokens: number;
}

interface Paragraph {
  groups: Group[];
  tokens: number;
}

interface Draft {
  atoms: Atom[];
  /** How many leading atoms were repeated from the previous chunk. */
  overlapCount: number;
  tokens: number;
}

/** Longest prefix of `text` from `from` whose token count fits `max` (token counts grow with the prefix). */
function longestFittingPrefix(text: string, from: number, to: number, max: number): number {
  // Every token spans at least one character and at most 6 of a break-free run, which bounds the search.
  let lo = Math.min(to, from + max);
  let hi = Math.min(to, from + 6 * max);
  if (lo < hi && countTokens(text.slice(from, lo + 1)) > max) hi = lo;
  else if (countTokens(text.slice(from, hi)) <= max) lo = hi;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (countTokens(text.slice(from, mid)) <= max) lo = mid;
    else hi = mid - 1;
  }
  // Never cut a surrogate pair in half.
  if (lo < to && lo - 1 > from && /[\uDC00-\uDFFF]/.test(text[lo] ?? "")) lo--;
  return lo;
}

/** Splits one sentence longer than `max` at word boundaries (between characters for CJK) into fitting pieces. */
function splitLongSentence(text: string, start: number, end: number, max: number): Atom[] {
  const pieces: Atom[] = [];
  let cur: Atom | undefined;
  const flush = (): void => {
    if (cur) pieces.push(cur);
    cur = undefined;
  };
  const sentence = text.slice(start, end);
  for (const m of sentence.matchAll(UNIT_RE)) {
    const uStart = start + m.index;
    const uEnd = uStart + m[0].length;
    // Single characters (CJK) cost one token; skipping countTokens for them keeps unpunctuated CJK text fast.
    const tokens = m[0].length === 1 ? 1 : countTokens(m[0]);
    if (tokens > max) {
      // A "word" with no break opportunity (URL, serial, symbol run) bigger than a chunk: cut it by characters.
      flush();
      for (let s = uStart; s < uEnd; ) {
        const e = longestFittingPrefix(text, s, uEnd, max);
        pieces.push({ start: s, end: e, tokens: countTokens(text.slice(s, e)), whole: false });
        s = e;
      }
      continue;
    }
    if (cur && cur.tokens + tokens > max) flush();
    if (cur) {
      cur.end = uEnd;
      cur.tokens += tokens;
    } else {
      cur = { start: uStart, end: uEnd, tokens, whole: false };
    }
  }
  flush();
  return pieces;
}

/** Atoms of each sentence of `[from, to)`: one whole-sentence atom, or the pieces of an over-long sentence. */
function sentenceAtoms(text: string, from: number, to: number, opts: SplitOptions): Atom[][] {
  return sentenceSpansIn(text, from, to, opts.language).map(({ start, end }) => {
    const tokens = countTokens(text.slice(start, end));
    return tokens <= opts.maxTokens ? [{ start, end, tokens, whole: true }] : splitLongSentence(text, start, end, opts.maxTokens);
  });
}

function buildParagraph(text: string, para: TextSpan, opts: SplitOptions): Paragraph {
  const groups: Group[] = [];
  let inItem = false;
  const runs = paragraphRuns(text, para, opts.blocks ?? [], (from, to) => sentenceAtoms(text, from, to, opts));
  for (const { atoms, keep } of runs) {
    const first = atoms[0];
    const isMarker = !keep && first !== undefined && startsWithListMarker(text.slice(first.start, first.end));
    const tokens = atoms.reduce((n, a) => n + a.tokens, 0);
    const last = groups[groups.length - 1];
    // Sentences after a list marker belong to that item (the step's explanation) until the next marker.
    if (last && inItem && !isMarker && !keep) {
      last.atoms.push(...atoms);
      last.tokens += tokens;
    } else {
      groups.push({ atoms, tokens });
    }
    if (isMarker) inItem = true;
    if (keep) inItem = false;
  }
  return { groups, tokens: groups.reduce((n, g) => n + g.tokens, 0) };
}

/** Greedy packer: fills the current draft, and opens the next one with overlap from the previous. */
class Packer {
  readonly drafts: Draft[] = [];
  private cur: Draft | undefined;
  private breakRequested = false;

  constructor(private readonly opts: SplitOptions) {}

  /** Tokens of the current draft that are not overlap. */
  freshTokens(): number {
    if (!this.cur) return 0;
    return this.cur.atoms.slice(this.cur.overlapCount).reduce((n, a) => n + a.tokens, 0);
  }

  fits(tokens: number): boolean {
    return this.cur !== undefined && !this.breakRequested && this.cur.tokens + tokens <= this.opts.maxTokens;
  }

  /** Makes the next placed unit start a new chunk (a structural boundary). */
  requestBreak(): void {
    if (this.cur) this.breakRequested = true;
  }

  /** Places atoms totalling `tokens` (≤ maxTokens) into the current chunk, or into a new one if they do not fit. */
  place(atoms: Atom[], tokens: number): void {
    if (!this.fits(tokens)) this.open(tokens);
    const cur = this.cur;
    if (!cur) return;
    cur.atoms.push(...atoms);
    cur.tokens += tokens;
  }

  private open(incoming: number): void {
    const prev = this.cur;
    if (prev) this.drafts.push(prev);
    this.breakRequested = false;
    const overlap = prev ? this.overlapFrom(prev, Math.min(this.opts.overlapTokens, this.opts.maxTokens - incoming)) : [];
    this.cur = { atoms: overlap, overlapCount: overlap.length, tokens: overlap.reduce((n, a) => n + a.tokens, 0) };
  }

  /** Trailing whole sentences of `prev`'s own text within `budget`; never all of it (that would duplicate it). */
  private overlapFrom(prev: Draft, budget: number): Atom[] {
    const fresh = prev.atoms.slice(prev.overlapCount);
    let used = 0;
    let i = fresh.length - 1;
    for (; i >= 1; i--) {
      const atom = fresh[i];
      if (!atom || !atom.whole || used + atom.tokens > budget) break;
      used += atom.tokens;
    }
    return fresh.slice(i + 1);
  }

  finish(): Draft[] {
    if (this.cur && this.cur.atoms.length > this.cur.overlapCount) this.drafts.push(this.cur);
    this.cur = undefined;
    this.mergeSmallTail();
    return this.drafts;
  }

  private mergeSmallTail(): void {
    const last = this.drafts[this.drafts.length - 1];
    const prev = this.drafts[this.drafts.length - 2];
    if (!last || !prev) return;
    const fresh = last.atoms.slice(last.overlapCount);
    const freshTokens = fresh.reduce((n, a) => n + a.tokens, 0);
    const max = this.opts.maxTokens;
    if (freshTokens < max * SMALL_TAIL_RATIO && prev.tokens + freshTokens <= Math.floor(max * TAIL_MERGE_SLACK)) {
      prev.atoms.push(...fresh);
      prev.tokens += freshTokens;
      this.drafts.pop();
    }
  }
}

function packParagraph(packer: Packer, para: Paragraph, max: number): void {
  if (packer.fits(para.tokens)) {
    packer.place(para.groups.flatMap((g) => g.atoms), para.tokens);
    return;
  }
  const fresh = packer.freshTokens();
  const tinyCurrent = fresh > 0 && fresh < max * SMALL_TAIL_RATIO;
  if (para.tokens <= max && !tinyCurrent) {
    packer.requestBreak();
    packer.place(para.groups.flatMap((g) => g.atoms), para.tokens);
    return;
  }
  // Over-long paragraph (or a tiny chunk to fill): flow list items / sentences, starting fresh if the chunk is well used.
  if (fresh >= max / 2) packer.requestBreak();
  for (const group of para.groups) {
    if (group.tokens <= max) {
      packer.place(group.atoms, group.tokens);
      continue;
    }
    for (const atom of group.atoms) packer.place([atom], atom.tokens);
  }
}

function validate(opts: SplitOptions): void {
  if (!Number.isInteger(opts.maxTokens) || opts.maxTokens < 1) {
    throw new InvalidInputError(`maxTokens must be a positive integer, got ${opts.maxTokens}`);
  }
  if (!Number.isInteger(opts.overlapTokens) || opts.overlapTokens < 0 || opts.overlapTokens >= opts.maxTokens) {
    throw new InvalidInputError(`overlapTokens must be an integer in [0, maxTokens), got ${opts.overlapTokens}`);
  }
}

/**
 * Splits one section's text into token-bounded chunks, following its structure: paragraphs are packed whole while
 * they fit; an over-long paragraph is packed by list item, then by sentence; only a single sentence longer than
 * `maxTokens` is cut inside, at word boundaries (between characters for CJK).
 *
 * Guarantees: chunks are in order and every non-whitespace character is covered by at least one chunk; every chunk
 * has at most `maxTokens` tokens, except that a final chunk smaller than 15% of `maxTokens` is merged into its
 * predecessor when the sum stays within `maxTokens * 1.1`; a chunk after the first starts with the trailing whole
 * sentences of its predecessor totalling at most `overlapTokens` (none if the last sentence alone exceeds it).
 *
 * @throws InvalidInputError when maxTokens is not a positive integer or overlapTokens is not in [0, maxTokens).
 */
export function splitSection(text: string, opts: SplitOptions): SectionPiece[] {
  validate(opts);
  const packer = new Packer(opts);
  for (const span of mergeParagraphs(paragraphSpans(text), opts.blocks ?? [])) {
    packParagraph(packer, buildParagraph(text, span, opts), opts.maxTokens);
  }
  return packer.finish().map((d) => {
    const first = d.atoms[0];
    const last = d.atoms[d.atoms.length - 1];
    const start = first?.start ?? 0;
    const end = last?.end ?? 0;
    return { text: text.slice(start, end), start, end };
  });
}
