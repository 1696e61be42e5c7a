import { stemmer } from "stemmer";
import { isQuestionStopword, isStopword } from "./stopwords.js";

/**
 * The one text analyzer shared by BM25 (index and query), the local embedder and lexical overlap checks, so that
 * every component agrees on what a "term" is. Latin text: NFKC, lower case, Porter stems, stop words dropped;
 * compounds such as "HDMI-CEC" or "E-101" also yield their joined form ("hdmicec", "e101") so error codes match
 * whichever way users type them. CJK runs: dictionary words from `Intl.Segmenter` plus character bigrams, which
 * recovers recall where the segmenter's dictionary splits product terms differently from the user ("上|传"). Stop
 * words split a run for the bigram leg, so function words never glue onto content ("怎么发给" gives no "么发").
 */
const CJK = "\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}";
const WORD_CHAR = `(?:(?![${CJK}])[\\p{L}\\p{M}\\p{N}])`;
const RUN_RE = new RegExp(`[${CJK}]+|${WORD_CHAR}+(?:['’._\\-/]${WORD_CHAR}+)*`, "gu");
const CJK_RE = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const PART_SPLIT_RE = /['’._\-/]+/;

const segmenter = new Intl.Segmenter("zh", { granularity: "word" });

export interface AnalyzeOptions {
  /** Keep stop words (used where word order matters, e.g. overlap checks on short texts). */
  keepStopwords?: boolean;
  /** Also drop question fillers ("explain", "怎么办"): for the query side of a search only. */
  question?: boolean;
}

export function normalizeText(text: string): string {
  return text.normalize("NFKC").toLowerCase();
}

/** Terms of `text` in order, with repeats (term frequency matters for BM25). */
export function analyze(text: string, options: AnalyzeOptions = {}): string[] {
  const out: string[] = [];
  const drop = stopFilter(options);
  for (const m of normalizeText(text).matchAll(RUN_RE)) {
    const run = m[0];
    if (CJK_RE.test(run)) analyzeCjk(run, out, drop, options.question === true);
    else analyzeLatin(run, out, drop);
  }
  return out;
}

/**
 * Unique search terms of a question (order of first appearance): question fillers are dropped too, unless that
 * would leave nothing ("What does it mean?" still searches for "mean").
 */
export function queryTerms(text: string): string[] {
  const terms = analyze(text, { question: true });
  return [...new Set(terms.length > 0 ? terms : analyze(text))];
}

type StopFilter = (word: string) => boolean;

function stopFilter(options: AnalyzeOptions): StopFilter {
  if (options.keepStopwords === true) return () => false;
  if (options.question === true) return (w) => isStopword(w) || isQuestionStopword(w);
  return isStopword;
}

function analyzeLatin(run: string, out: string[], drop: StopFilter): void {
  const parts = run.split(PART_SPLIT_RE).filter((p) => p.length > 0);
  for (const part of parts) pushLatin(part, out, drop);
  if (parts.length > 1) {
    const joined = parts.join("");
    if (joined.length <= 24) out.push(joined);
  }
}

function pushLatin(word: string, out: string[], drop: StopFilter): void {
  if (drop(word)) return;
  if (word.length > 40) return;
  out.push(stemOf(word));
}

/**
 * Porter stemming was the analyzer's largest cost (every candidate chunk is analyzed at query time, every chunk at
 * ingest), and Zipf-distributed text repeats words heavily, so stems are memoised. Bounded: cleared when full, so
 * a stream of unique tokens (ids, hashes) cannot grow it without limit. A pure function's cache, not state.
 */
const STEM_CACHE_LIMIT = 200_000;
const stemCache = new Map<string, string>();

function stemOf(word: string): string {
  const cached = stemCache.get(word);
  if (cached !== undefined) return cached;
  const stem = /^\p{L}+$/u.test(word) ? stemmer(word) : word;
  if (stemCache.size >= STEM_CACHE_LIMIT) stemCache.clear();
  stemCache.set(word, stem);
  return stem;
}

/**
 * Dictionary words (two characters or more) and the bigrams of each stretch between stop words. In a question
 * (`question`), a bigram straddling two dictionary words of two characters or more is left out ("设置|员工" gives
 * no "置员"): the segmenter is reliable at such a boundary, and the straddling pair mostly matches unrelated text
 * ("设置员工发ding额度" for "如何设置员工的角色"), diluting coverage and proximity. Indexed text keeps every bigram,
 * so a question the segmenter splits differently from the document still meets it (zh-cs: recall@1 0.641 → 0.658).
 */
function analyzeCjk(run: string, out: string[], drop: StopFilter, question: boolean): void {
  if (run.length === 1) {
    if (!drop(run)) out.push(run);
    return;
  }
  // Per stretch: its text and the positions i whose bigram (i, i + 1) straddles two words and is skipped.
  const stretches: Array<{ text: string; joins: Set<number> }> = [];
  let stretch = { text: "", joins: new Set<number>() };
  let prevLen = 0;
  for (const seg of segmenter.segment(run)) {
    const w = seg.segment;
    if (drop(w)) {
      stretches.push(stretch);
      stretch = { text: "", joins: new Set<number>() };
      prevLen = 0;
      continue;
    }
    if (w.length > 1 && seg.isWordLike) out.push(w);
    if (question && prevLen > 1 && w.length > 1) stretch.joins.add(stretch.text.length - 1);
    stretch.text += w;
    prevLen = w.length;
  }
  stretches.push(stretch);
  for (const s of stretches) pushBigrams(s.text, out, s.joins);
}

function pushBigrams(stretch: string, out: string[], skip: ReadonlySet<number>): void {
  // A lone character between stop words still counts (it may be all the user typed).
  if (stretch.length === 1) out.push(stretch);
  for (let i = 0; i + 1 < stretch.length; i++) if (!skip.has(i)) out.push(stretch.slice(i, i + 2));
}

