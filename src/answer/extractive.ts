import type { Source } from "../domain/answer.js";
import { queryTerms } from "../text/analyzer.js";
import { sentenceSpans, startsWithListMarker } from "../text/sentences.js";
import type { AnswerComposer, ComposeRequest, ComposedAnswer } from "./composer.js";
import { MARKER_RE, contentTerms, weightedCoverage } from "./overlap.js";

/**
 * The embedded default composer: no model, only sentences copied from the sources. Each sentence is scored by the
 * IDF-weighted share of the question's terms it contains (IDF estimated over the given sources' sentences), scaled
 * by the source's rank and by how well the source's title and section path match the question. The reply takes the
 * best sentences of the best source, adds sentences of the next sources only when they bring question terms the
 * reply lacks, keeps numbered procedures whole and in order, and cites every sentence.
 */

/** Scoring and selection knobs; an evaluation harness tunes them. */
export interface ExtractiveOptions {
  /** Most prose sentences (a whole list counts as one). */
  maxSentences: number;
  /** Word budget; the first selected block is always kept whole. CJK characters count half a word. */
  maxWords: number;
  /** Most items taken from one list. */
  maxSteps: number;
  /** Score multiplier per rank step: source n gets `rankDecay^(n-1)`. */
  rankDecay: number;
  /** Weight of the title/section-path match: scores are multiplied by `1 + sectionBoost * coverage`. */
  sectionBoost: number;
  /** Sentences scoring below this share of the best sentence are not selected. */
  minRelativeScore: number;
  /** Longer sentences are damped by `1 / (1 + lengthPenalty * words / 25)`, favouring precise sentences. */
  lengthPenalty: number;
  /** How many sources after the primary one may contribute sentences. */
  extraSources: number;
}

export const DEFAULT_EXTRACTIVE_OPTIONS: ExtractiveOptions = {
  maxSentences: 4,
  maxWords: 80,
  maxSteps: 8,
  rankDecay: 0.8,
  sectionBoost: 0.5,
  minRelativeScore: 0.5,
  lengthPenalty: 0.15,
  extraSources: 2,
};

const ORDERED_RE = /^\s*(?:\(?\d{1,3}[.)]|\(?[a-z][.)]|(?:step|schritt|étape|paso)\s*\d|第[一二三四五六七八九十百\d]+[步条項项]|[（(]?[一二三四五六七八九十]+[、．）)]|\d{1,3}、|[①-⑳])/iu;
const LEAD_IN_RE = /[:：]\s*$/u;
const HEADING_RE = /^\s*#/;
const CJK_CHAR_RE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/gu;
const LATIN_WORD_RE = /[\p{L}\p{N}]+/gu;

interface Sentence {
  text: string;
  terms: Set<string>;
  words: number;
  /** Starts a new line in the source (list items and their continuations are told apart by this). */
  newLine: boolean;
  /** Index of the sentence starting the list item this sentence belongs to; -1 outside lists. */
  item: number;
  ordered: boolean;
  /** IDF-weighted question coverage (0..1) and the final score (coverage × priors). */
  coverage: number;
  score: number;
}

interface Doc {
  source: Source;
  rank: number;
  sentences: Sentence[];
}

interface Selection {
  doc: Doc;
  indices: Set<number>;
}

/** Rough word count: Latin words, plus half a word per CJK character. */
export function wordCount(text: string): number {
  const cjk = text.match(CJK_CHAR_RE)?.length ?? 0;
  const latin = text.replace(CJK_CHAR_RE, " ").match(LATIN_WORD_RE)?.length ?? 0;
  return latin + Math.ceil(cjk / 2);
}

export class ExtractiveComposer implements AnswerComposer {
  readonly kind = "extractive" as const;
  private readonly options: ExtractiveOptions;

  constructor(options: Partial<ExtractiveOptions> = {}) {
    this.options = { ...DEFAULT_EXTRACTIVE_OPTIONS, ...options };
  }

  async compose(request: ComposeRequest): Promise<ComposedAnswer> {
    const q = queryTerms(request.question);
    const docs = request.sources.map((source, rank) => splitSource(source, rank, request.language));
    const idf = sentenceIdf(docs);
    for (const doc of docs) scoreDoc(doc, q, idf, this.options);
    const selections = select(docs, q, this.options);
    if (selections.length === 0) return { text: "", refused: true, degraded: false };
    const text = render(selections, request.language);
    request.onToken?.(text);
    return { text, refused: false, degraded: false };
  }
}

function splitSource(source: Source, rank: number, language: string): Doc {
  const text = source.text;
  const sentences: Sentence[] = [];
  let prevEnd = 0;
  let item = -1;
  for (const span of sentenceSpans(text, language)) {
    const body = text.slice(span.start, span.end);
    const newLine = sentences.length === 0 || text.slice(prevEnd, span.start).includes("\n");
    prevEnd = span.end;
    const marker = startsWithListMarker(body);
    if (marker) item = sentences.length;
    else if (newLine) item = -1;
    const heading = HEADING_RE.test(body);
    sentences.push({
      text: body.replace(/\s+/g, " "),
      terms: heading ? new Set() : contentTerms(body),
      words: wordCount(body),
      newLine,
      item,
      ordered: item >= 0 && ORDERED_RE.test(sentences[item]?.text ?? body),
      coverage: 0,
      score: 0,
    });
  }
  return { source, rank, sentences };
}

/** BM25-style IDF over all sentences of all sources: terms found everywhere ("hub") weigh little. */
function sentenceIdf(docs: readonly Doc[]): (term: string) => number {
  const df = new Map<string, number>();
  let n = 0;
  for (const doc of docs) {
    for (const s of doc.sentences) {
      n++;
      for (const t of s.terms) df.set(t, (df.get(t) ?? 0) + 1);
    }
  }
  return (term) => {
    const d = df.get(term) ?? 0;
    return Math.log(1 + (n - d + 0.5) / (d + 0.5));
  };
}

function scoreDoc(doc: Doc, q: readonly string[], idf: (term: string) => number, o: ExtractiveOptions): void {
  let total = 0;
  for (const t of q) total += idf(t);
  if (total <= 0) return;
  const heading = [doc.source.title, ...doc.source.sectionPath].join("\n");
  const prior = Math.pow(o.rankDecay, doc.rank) * (1 + o.sectionBoost * weightedCoverage([...q], heading, idf));
  for (const s of doc.sentences) {
    let covered = 0;
    for (const t of q) if (s.terms.has(t)) covered += idf(t);
    s.coverage = covered / total;
    s.score = (s.coverage * prior) / (1 + (o.lengthPenalty * s.words) / 25);
  }
}

/** Sentence indices of the list around `i` (ordered lists and lead-ins only), capped at `maxSteps` items. */
function listBlock(doc: Doc, i: number, maxSteps: number): number[] | undefined {
  const ss = doc.sentences;
  const s = ss[i];
  if (!s) return undefined;
  const leadIn = s.item < 0 && LEAD_IN_RE.test(s.text) && (ss[i + 1]?.item ?? -1) === i + 1;
  if (!leadIn && !(s.item >= 0 && s.ordered)) return undefined;
  let start = leadIn ? i + 1 : s.item;
  while (start > 0 && (ss[start - 1]?.item ?? -1) >= 0) start--;
  let end = start;
  while (end < ss.length && (ss[end]?.item ?? -1) >= 0) end++;
  const items: number[] = [];
  for (let k = start; k < end; k++) if (ss[k]?.item === k) items.push(k);
  // Long lists: a window of `maxSteps` items that contains the selected one.
  const at = leadIn ? 0 : Math.max(0, items.indexOf(s.item));
  const first = Math.max(0, Math.min(at, items.length - maxSteps));
  const lo = items[first] ?? start;
  const hi = items[first + maxSteps] ?? end;
  const out: number[] = [];
  const intro = ss[start - 1];
  if (lo === start && intro && intro.item < 0 && LEAD_IN_RE.test(intro.text)) out.push(start - 1);
  for (let k = lo; k < hi; k++) out.push(k);
  return out;
}

/** The sentences that enter the reply together with sentence `i`: its list, its list item, or itself. */
function blockOf(doc: Doc, i: number, o: ExtractiveOptions): number[] {
  const list = listBlock(doc, i, o.maxSteps);
  if (list) return list;
  const s = doc.sentences[i];
  if (!s || s.item < 0) return [i];
  const out: number[] = [];
  for (let k = s.item; k < doc.sentences.length && doc.sentences[k]?.item === s.item; k++) out.push(k);
  return out;
}

function candidates(doc: Doc, threshold: number): number[] {
  return doc.sentences
    .map((s, i) => ({ s, i }))
    .filter(({ s }) => s.coverage > 0 && s.score >= threshold)
    .sort((a, b) => b.s.score - a.s.score || a.i - b.i)
    .map(({ i }) => i);
}

interface Picking {
  query: ReadonlySet<string>;
  /** Question terms already present in the reply. */
  covered: Set<string>;
  sentences: number;
  words: number;
  o: ExtractiveOptions;
}

function select(docs: readonly Doc[], q: readonly string[], o: ExtractiveOptions): Selection[] {
  let best: { doc: Doc; score: number } | undefined;
  for (const doc of docs) for (const s of doc.sentences) if (s.coverage > 0 && s.score > (best?.score ?? 0)) best = { doc, score: s.score };
  if (!best) return [];
  const threshold = best.score * o.minRelativeScore;
  const ctx: Picking = { query: new Set(q), covered: new Set(), sentences: 0, words: 0, o };
  const primary: Selection = { doc: best.doc, indices: new Set() };
  addBlocks(primary, candidates(best.doc, threshold), ctx, false);
  const out = [primary];
  for (const doc of docs) {
    if (doc === best.doc || doc.rank > o.extraSources) continue;
    const extra: Selection = { doc, indices: new Set() };
    addBlocks(extra, candidates(doc, threshold), ctx, true);
    if (extra.indices.size > 0) out.push(extra);
  }
  return out;
}

function addBlocks(sel: Selection, order: readonly number[], ctx: Picking, needNewTerms: boolean): void {
  const ss = sel.doc.sentences;
  for (const i of order) {
    if (sel.indices.has(i) || ctx.sentences >= ctx.o.maxSentences) continue;
    const terms = ss[i]?.terms ?? new Set<string>();
    if (needNewTerms && ![...ctx.query].some((t) => terms.has(t) && !ctx.covered.has(t))) continue;
    const block = blockOf(sel.doc, i, ctx.o).filter((k) => !sel.indices.has(k));
    const words = block.reduce((w, k) => w + (ss[k]?.words ?? 0), 0);
    if (ctx.sentences > 0 && ctx.words + words > ctx.o.maxWords) continue;
    for (const k of block) {
      sel.indices.add(k);
      for (const t of ss[k]?.terms ?? []) if (ctx.query.has(t)) ctx.covered.add(t);
    }
    ctx.sentences++;
    ctx.words += words;
  }
}

/** "… end." + marker: a space before the marker in Latin text, none after CJK punctuation. */
function cite(text: string, n: number): string {
  const body = text.replace(MARKER_RE, (m) => m.replace(/[[【]/u, "(").replace(/[\]】]/u, ")")).trimEnd();
  return /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303f\uff00-\uffef]$/u.test(body) ? `${body}[${n}]` : `${body} [${n}]`;
}

/** List items, prose after a list or after a lead-in, and the first sentence start lines; the rest run on. */
function startsLine(doc: Doc, i: number, prev: number | undefined): boolean {
  const s = doc.sentences[i];
  const p = prev === undefined ? undefined : doc.sentences[prev];
  if (!s || !p) return true;
  if (s.item >= 0) return s.item === i || p.item !== s.item;
  return p.item >= 0 || LEAD_IN_RE.test(p.text);
}

/** Source order within a source; list items each on their own line, prose sentences joined into paragraphs. */
function render(selections: readonly Selection[], language: string): string {
  const joiner = /^(?:zh|ja)/i.test(language) ? "" : " ";
  const paragraphs: string[] = [];
  for (const { doc, indices } of selections) {
    const lines: string[] = [];
    let prev: number | undefined;
    for (const i of [...indices].sort((a, b) => a - b)) {
      const s = doc.sentences[i];
      if (!s) continue;
      const text = cite(s.text, doc.source.n);
      const last = lines.length - 1;
      if (last < 0 || startsLine(doc, i, prev)) lines.push(text);
      else lines[last] = `${lines[last]}${joiner}${text}`;
      prev = i;
    }
    paragraphs.push(lines.join("\n"));
  }
  return paragraphs.join("\n");
}
