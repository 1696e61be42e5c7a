import type { Source } from "../domain/answer.js";
import { queryTerms } from "../text/analyzer.js";
import { sentenceSpans, startsWithListMarker } from "../text/sentences.js";
import type { AnswerComposer, ComposeRequest, ComposedAnswer } from "./composer.js";
import { MARKER_RE, contentTerms } from "./overlap.js";

/**
 * The embedded default composer: no model, only sentences copied from the sources. Each sentence is scored by the
 * IDF-weighted share of the question's terms it contains (IDF estimated over the given sources' sentences; terms of
 * the source's title and section path count partly, so a sentence inside a "Factory Reset" section is about factory
 * resets), scaled by the source's rank. Sentences enter the reply in blocks: a numbered procedure whole and in
 * order, a list item or table row whole, prose one sentence at a time. The reply takes the best blocks of the best
 * source and adds blocks of the next sources only when they bring question terms the reply lacks.
 */

/** Scoring and selection knobs; an evaluation harness tunes them. */
export interface ExtractiveOptions {
  /** Most blocks (a prose sentence, a list item, or a whole numbered procedure). */
  maxSentences: number;
  /** Word budget; the first selected block is always kept whole. CJK characters count half a word. */
  maxWords: number;
  /** Most items taken from one numbered list. */
  maxSteps: number;
  /** Score multiplier per rank step: source n gets `rankDecay^(n-1)`. */
  rankDecay: number;
  /** A question term found only in the source's title or section path counts this much (0..1). */
  sectionTermWeight: number;
  /** Sources whose title and section path match the question score up to `1 + sectionBoost` times higher. */
  sectionBoost: number;
  /** Blocks scoring below this share of the best block are not selected. */
  minRelativeScore: number;
  /** Longer sentences are damped by `1 / (1 + lengthPenalty * words / 25)`, favouring precise sentences. */
  lengthPenalty: number;
  /** Score multiplier of numbered procedures when the question asks how to do something. */
  procedureBoost: number;
  /** After a numbered procedure answers a how-to question, add nothing else. */
  procedureOnly: boolean;
  /** How many sources after the primary one may contribute sentences. */
  extraSources: number;
  /** A block from a further source must bring question terms worth this share of the question's weight. */
  minNewTermShare: number;
  /** Weight of question filler terms ("how many", "how long", "what does it mean") that answers rarely repeat. */
  fillerWeight: number;
}

export const DEFAULT_EXTRACTIVE_OPTIONS: ExtractiveOptions = {
  maxSentences: 4,
  maxWords: 80,
  maxSteps: 8,
  rankDecay: 0.8,
  sectionTermWeight: 0.5,
  sectionBoost: 0.5,
  minRelativeScore: 0.6,
  lengthPenalty: 0.15,
  procedureBoost: 1.5,
  procedureOnly: true,
  extraSources: 2,
  minNewTermShare: 0.2,
  fillerWeight: 0.25,
};

/** Analyzer stems of question words that are not stop words but seldom occur in the answering sentence. */
const FILLER_TERMS = new Set(["mani", "much", "long", "often", "far", "big", "kind", "type", "wai", "happen", "mean", "possibl", "abl", "need", "want", "know", "tell", "explain"]);

const PROCEDURAL_RE =
  /\b(?:how\s+(?:do|can|should|would|could|to)\b|what\s+(?:should|do|must)\s+(?:i|we|you)\s+do\b|steps?\b|instructions?\b|procedure\b|wie\s+(?:kann|muss|soll)|comment\s|cómo\s)|如何|怎么|怎样|步骤|方法|どうやって|方法|手順/iu;
const CJK_END_RE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303f\uff00-\uffef]$/u;
const CJK_START_RE = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303f\uff00-\uffef]/u;
const TABLE_EDGE_RE = /^\s*\|\s*|\s*\|\s*$/g;
const ORDERED_RE = /^\s*(?:\(?\d{1,3}[.)]|\(?[a-z][.)]|(?:step|schritt|étape|paso)\s*\d|第[一二三四五六七八九十百\d]+[步条項项]|[（(]?[一二三四五六七八九十]+[、．）)]|\d{1,3}、|[①-⑳])/iu;
const ROW_RE = /^\s*\|/;
const TABLE_RULE_RE = /^\s*\|?[\s:|-]*-[\s:|-]*$/;
const HEADING_RE = /^\s*#/;
/** A line introducing a list: ends with a colon, or is a bare label without closing punctuation. */
const LEAD_IN_RE = /[:：]\s*$|[^.!?。！？;；]\s*$/u;
const CJK_CHAR_RE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/gu;
const LATIN_WORD_RE = /[\p{L}\p{N}]+/gu;

interface Sentence {
  text: string;
  terms: Set<string>;
  words: number;
  /** Index of the sentence starting the list item or table row this sentence belongs to; -1 for prose. */
  group: number;
  ordered: boolean;
  /** Introduces the list that follows it ("Pair it as follows:", "To reset from the app"). */
  leadIn: boolean;
  /** Headings, table headers and rules: never selected on their own. */
  skip: boolean;
  /** Contains a question term itself (not only through the section path). */
  own: boolean;
  score: number;
}

interface Doc {
  source: Source;
  rank: number;
  sentences: Sentence[];
}

/** What enters the reply together: a prose sentence, a list item, a table row, or a numbered procedure. */
interface Unit {
  indices: number[];
  score: number;
  procedure: boolean;
  /** For a single numbered step: its whole list, taken instead once a second step of it is picked. */
  list?: number[];
}

interface ScoreContext {
  weights: ReadonlyMap<string, number>;
  procedural: boolean;
  o: ExtractiveOptions;
}

interface Picked {
  doc: Doc;
  indices: Set<number>;
}

interface Picking {
  weights: ReadonlyMap<string, number>;
  totalWeight: number;
  threshold: number;
  /** Question terms already present in the reply. */
  covered: Set<string>;
  blocks: number;
  words: number;
  done: boolean;
  procedural: boolean;
  o: ExtractiveOptions;
}

export class ExtractiveComposer implements AnswerComposer {
  readonly kind = "extractive" as const;
  private readonly options: ExtractiveOptions;

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
    const docs = sources.map((source, rank) => splitSource(source, rank, language));
    const idf = sentenceIdf(docs);
    const procedural = PROCEDURAL_RE.test(question);
    const weight = (t: string): number => idf(t) * (FILLER_TERMS.has(t) ? this.options.fillerWeight : 1);
    const ctx: ScoreContext = { weights: new Map(q.map((t) => [t, weight(t)])), procedural, o: this.options };
    const units = docs.map((doc) => unitsOf(doc, ctx));
    const picked = this.pick(docs, units, ctx.weights, procedural);
    return picked.length === 0 ? "" : render(picked);
  }

  private pick(docs: readonly Doc[], units: readonly Unit[][], weights: ReadonlyMap<string, number>, procedural: boolean): Picked[] {
    let best: { doc: Doc; score: number } | undefined;
    docs.forEach((doc, d) => {
      for (const u of units[d] ?? []) if (u.score > (best?.score ?? 0)) best = { doc, score: u.score };
    });
    if (!best) return [];
    const totalWeight = [...weights.values()].reduce((a, b) => a + b, 0);
    const threshold = best.score * this.options.minRelativeScore;
    const ctx: Picking = { weights, totalWeight, threshold, covered: new Set(), blocks: 0, words: 0, done: false, procedural, o: this.options };
    const primary: Picked = { doc: best.doc, indices: new Set() };
    addUnits(primary, units[best.doc.rank] ?? [], ctx, false);
    const out = [primary];
    for (const doc of docs) {
      if (doc === best.doc || doc.rank > this.options.extraSources) continue;
      const extra: Picked = { doc, indices: new Set() };
      addUnits(extra, units[doc.rank] ?? [], ctx, true);
      if (extra.indices.size > 0) out.push(extra);
    }
    return out;
  }
}

/** Rough word count: Latin words, plus half a word per CJK character. */
export function wordCount(text: string): number {
  const cjk = text.match(CJK_CHAR_RE)?.length ?? 0;
  const latin = text.replace(CJK_CHAR_RE, " ").match(LATIN_WORD_RE)?.length ?? 0;
  return latin + Math.ceil(cjk / 2);
}

function splitSource(source: Source, rank: number, language: string): Doc {
  const text = source.text;
  const ss: Sentence[] = [];
  let prevEnd = 0;
  let group = -1;
  for (const span of sentenceSpans(text, language)) {
    const body = text.slice(span.start, span.end);
    const newLine = ss.length === 0 || text.slice(prevEnd, span.start).includes("\n");
    prevEnd = span.end;
    if (newLine) group = startsWithListMarker(body) || ROW_RE.test(body) ? ss.length : -1;
    const head = ss[group];
    const skip = HEADING_RE.test(body) || TABLE_RULE_RE.test(body);
    ss.push({ text: body.replace(/\s+/g, " "), terms: skip ? new Set() : contentTerms(body), words: wordCount(body), group, ordered: ORDERED_RE.test(head?.text ?? body) && group >= 0, leadIn: false, skip, own: false, score: 0 });
  }
  ss.forEach((s, i) => {
    const next = ss[i + 1];
    // A table's header row is the row right above its rule.
    if (next && TABLE_RULE_RE.test(next.text) && ROW_RE.test(s.text)) s.skip = true;
    s.leadIn = s.group < 0 && next !== undefined && next.group === i + 1 && !ROW_RE.test(next.text) && LEAD_IN_RE.test(s.text);
  });
  return { source, rank, sentences: ss };
}

/** BM25-style IDF over all sentences of all sources: terms found everywhere ("hub") weigh little. */
function sentenceIdf(docs: readonly Doc[]): (term: string) => number {
  const df = new Map<string, number>();
  let n = 0;
  for (const s of docs.flatMap((d) => d.sentences)) {
    n++;
    for (const t of s.terms) df.set(t, (df.get(t) ?? 0) + 1);
  }
  return (term) => {
    const d = df.get(term) ?? 0;
    return Math.log(1 + (n - d + 0.5) / (d + 0.5));
  };
}

function scoreSentences(doc: Doc, { weights, o }: ScoreContext): void {
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
    s.score = total > 0 ? ((covered / total) * prior) / (1 + (o.lengthPenalty * s.words) / 25) : 0;
  }
}

const COLON_END_RE = /[:：]\s*$/u;

/** The list containing sentence `i` (or following lead-in `i`), with its lead-in, capped at `maxSteps` items. */
function listAround(doc: Doc, i: number, maxSteps: number): number[] {
  const ss = doc.sentences;
  const s = ss[i];
  let start = s?.leadIn ? i + 1 : s?.group ?? i;
  while (start > 0 && (ss[start - 1]?.group ?? -1) >= 0 && !ROW_RE.test(ss[start - 1]?.text ?? "")) start--;
  let end = start;
  while (end < ss.length && (ss[end]?.group ?? -1) >= 0) end++;
  const items: number[] = [];
  for (let k = start; k < end; k++) if (ss[k]?.group === k) items.push(k);
  const at = s?.leadIn ? 0 : Math.max(0, items.indexOf(s?.group ?? -1));
  const first = Math.max(0, Math.min(at, items.length - maxSteps));
  const lo = items[first] ?? start;
  const hi = items[first + maxSteps] ?? end;
  const out: number[] = lo === start && ss[start - 1]?.leadIn ? [start - 1] : [];
  for (let k = lo; k < hi; k++) out.push(k);
  return out;
}

/**
 * Whether sentence `i` brings its whole list: an explicit "…:" introduction always does; for how-to questions
 * so do labels, numbered steps and items of a list introduced by "…:" ("Use any of these methods:").
 */
function expandsList(doc: Doc, i: number, procedural: boolean): boolean {
  const s = doc.sentences[i];
  if (!s || ROW_RE.test(s.text)) return false;
  if (s.leadIn) return procedural || COLON_END_RE.test(s.text);
  if (!procedural || s.group < 0) return false;
  if (s.ordered) return true;
  const intro = doc.sentences[(listAround(doc, i, Number.MAX_SAFE_INTEGER)[0] ?? 0)];
  return intro?.leadIn === true && COLON_END_RE.test(intro.text);
}

function unitsOf(doc: Doc, ctx: ScoreContext): Unit[] {
  scoreSentences(doc, ctx);
  const units = new Map<string, Unit>();
  doc.sentences.forEach((s, i) => {
    if (!s.own || s.skip) return;
    const expand = expandsList(doc, i, ctx.procedural);
    const list = s.group >= 0 || s.leadIn ? listAround(doc, i, ctx.o.maxSteps) : undefined;
    const indices = expand && list ? list : s.group >= 0 ? groupOf(doc, s.group) : [i];
    const procedure = expand && indices.length >= 2 && indices.some((k) => doc.sentences[k]?.ordered);
    const score = s.score * (procedure && ctx.procedural ? ctx.o.procedureBoost : 1);
    const key = `${indices[0]}:${indices.length}`;
    const known = units.get(key);
    if (!known || known.score < score) units.set(key, { indices, score, procedure, ...(s.ordered && list ? { list } : {}) });
  });
  return [...units.values()];
}

function groupOf(doc: Doc, group: number): number[] {
  const out: number[] = [];
  for (let k = group; k < doc.sentences.length && doc.sentences[k]?.group === group; k++) out.push(k);
  return out;
}

/**
 * Adds blocks best first within the budgets. In the primary source a block must score near the best block; a
 * further source's block must instead bring question terms the reply lacks (multi-part questions).
 */
function addUnits(sel: Picked, units: readonly Unit[], ctx: Picking, extra: boolean): void {
  const ss = sel.doc.sentences;
  const ordered = units.filter((u) => extra || u.score >= ctx.threshold).sort((a, b) => b.score - a.score || a.indices[0]! - b.indices[0]!);
  for (const u of ordered) {
    if (ctx.done || ctx.blocks >= ctx.o.maxSentences) return;
    const siblings = u.list?.some((k) => sel.indices.has(k) && !u.indices.includes(k)) === true;
    const fresh = (siblings && u.list ? u.list : u.indices).filter((k) => !sel.indices.has(k));
    if (fresh.length === 0) continue;
    const terms = new Set(fresh.flatMap((k) => [...(ss[k]?.terms ?? [])]));
    let added = 0;
    for (const [t, w] of ctx.weights) if (terms.has(t) && !ctx.covered.has(t)) added += w;
    if (extra && added < ctx.o.minNewTermShare * ctx.totalWeight) continue;
    const words = fresh.reduce((w, k) => w + (ss[k]?.words ?? 0), 0);
    if (ctx.blocks > 0 && ctx.words + words > ctx.o.maxWords) continue;
    for (const k of fresh) sel.indices.add(k);
    for (const t of terms) if (ctx.weights.has(t)) ctx.covered.add(t);
    ctx.blocks++;
    ctx.words += words;
    if (u.procedure && ctx.procedural && ctx.o.procedureOnly) ctx.done = true;
  }
}

/** "… end." + marker: a space before the marker in Latin text, none after CJK text or punctuation. */
function cite(text: string, n: number): string {
  // Bracketed numbers inside the manual's own text would read as citations: make them parentheses.
  const body = text.replace(MARKER_RE, (m) => `(${m.slice(1, -1)})`).replace(TABLE_EDGE_RE, "").replace(/\s+\|\s+/g, " – ").trimEnd();
  return CJK_END_RE.test(body) ? `${body}[${n}]` : `${body} [${n}]`;
}

/** List items, table rows, prose after a list and after a lead-in start lines; other prose runs on. */
function startsLine(doc: Doc, i: number, prev: number | undefined): boolean {
  const s = doc.sentences[i];
  const p = prev === undefined ? undefined : doc.sentences[prev];
  if (!s || !p) return true;
  if (s.group >= 0) return s.group === i || p.group !== s.group;
  return p.group >= 0 || p.leadIn;
}

/** Source order within a source; sources in the order picked. CJK sentences run on without spaces. */
function render(picked: readonly Picked[]): string {
  const paragraphs: string[] = [];
  for (const { doc, indices } of picked) {
    const lines: string[] = [];
    let prev: number | undefined;
    for (const i of [...indices].sort((a, b) => a - b)) {
      const s = doc.sentences[i];
      const text = s ? cite(s.text, doc.source.n) : "";
      if (text.replace(MARKER_RE, "").trim() === "") continue;
      const last = lines.length - 1;
      const cjk = CJK_END_RE.test(doc.sentences[prev ?? -1]?.text.trimEnd() ?? "") || CJK_START_RE.test(text);
      if (last < 0 || startsLine(doc, i, prev)) lines.push(text);
      else lines[last] = `${lines[last]}${cjk ? "" : " "}${text}`;
      prev = i;
    }
    if (lines.length > 0) paragraphs.push(lines.join("\n"));
  }
  return paragraphs.join("\n");
}
