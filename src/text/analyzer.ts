import { stemmer } from "stemmer";
import { CJK_CHARS, STARTS_CJK_RE } from "./cjk.js";
import { participleOf } from "./irregular-forms.js";
import { isMisspelledFiller, isQuestionStopword, isStopword } from "./stopwords.js";
import { zhWordSegmenter } from "./zh-segmenter.js";

/**
 * The one text analyzer shared by BM25 (index and query), the local embedder and lexical overlap checks, so that
 * every component agrees on what a "term" is. Latin text: NFKC, lower case, Porter stems, stop words dropped;
 * compounds such as "HDMI-CEC" or "E-101" also yield their joined form ("hdmicec", "e101") so error codes match
 * whichever way users type them. CJK runs: dictionary words from `Intl.Segmenter` plus character bigrams, which
 * recovers recall where the segmenter's dictionary splits product terms differently from the user ("上|传"). Stop
 * words split a run for the bigram leg, so function words never glue onto content ("怎么发给" gives no "么发").
 */
const WORD_CHAR = `(?:(?![${CJK_CHARS}])[\\p{L}\\p{M}\\p{N}])`;
const RUN_RE = new RegExp(`[${CJK_CHARS}]+|${WORD_CHAR}+(?:['’._\\-/]${WORD_CHAR}+)*`, "gu");
const PART_SPLIT_RE = /['’._\-/]+/;

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
  const normalized = normalizeText(text);
  for (const m of normalized.matchAll(RUN_RE)) {
    const run = m[0];
    if (STARTS_CJK_RE.test(run)) {
      analyzeCjk(run, out, drop, options.question === true);
      continue;
    }
    const dashes = optionDashes(normalized, m.index);
    if (dashes !== "" && /^\p{L}/u.test(run)) {
      out.push(`${dashes}${run}`);
      // A one-letter option's letter alone ("u" of "-u") is no word: only the literal is searchable.
      if (run.length === 1) continue;
    }
    analyzeLatin(run, out, drop);
  }
  return out;
}

/**
 * Command-line options ("-u", "--purge", "dpkg -l") are terms of their own, dashes included, beside their words
 * ("--purge" also gives "purg", so prose about purging still meets it): analysed as bare words, "-u" was the word "u"
 * and "-l" the letter "l", which match nothing specific. An option is a run of letters right after one or two dashes
 * that follow the start of the text, a space or an opening bracket or quote; a hyphen inside a word ("non-free",
 * "E-101") or a minus before a digit is not one. Typeset manuals print "--" as an en dash ("–purge"), and Unicode
 * hyphens and minus signs stand for "-".
 */
const OPTION_BEFORE_RE = /[\s([{<"'‘“«=,;:|]/u;
const ONE_DASH = new Set(["-", "\u2010", "\u2011", "\u2212"]);

function optionDashes(text: string, at: number): string {
  let i = at - 1;
  let dashes = "";
  while (i >= 0 && dashes.length < 2) {
    const c = text[i]!;
    if (ONE_DASH.has(c)) dashes += "-";
    else if (c === "\u2013" && dashes === "") dashes = "--";
    else break;
    i--;
  }
  if (dashes === "" || (i >= 0 && !OPTION_BEFORE_RE.test(text[i]!) && !STARTS_CJK_RE.test(text[i]!))) return "";
  return dashes.length > 2 ? "" : dashes;
}

/**
 * Unique search terms of a question (order of first appearance): question fillers are dropped too, unless that
 * would leave nothing ("What does it mean?" still searches for "mean").
 */
export function queryTerms(text: string): string[] {
  return [...new Set(queryTermSequence(text))];
}

/**
 * The question's search terms in order, repeats of words kept (the word order phrase evidence needs: "boot with
 * secure boot" holds the pair "secure boot" although "boot" came first); the same terms as {@link queryTerms}. CJK
 * terms appear once each: a CJK run gives its words and then its bigrams, an order that is not the text's, and a
 * bigram repeating a two-character word is no new position.
 */
export function queryTermSequence(text: string): string[] {
  const analyzed = analyze(text, { question: true });
  const terms = analyzed.length > 0 ? analyzed : analyze(text);
  const seen = new Set<string>();
  return terms.filter((t) => !STARTS_CJK_RE.test(t) || (!seen.has(t) && seen.add(t) !== undefined));
}

type StopFilter = (word: string) => boolean;

function stopFilter(options: AnalyzeOptions): StopFilter {
  if (options.keepStopwords === true) return () => false;
  if (options.question === true) return (w) => isStopword(w) || isQuestionStopword(w) || isMisspelledFiller(w);
  return isStopword;
}

/**
 * English clitics after an apostrophe ("Debian's", "I'm", "I'd", "you'll", "they're", "I've", "isn't"): the word is
 * analysed without them, and "n't" is the word "not" ("isn't" as "is not"). Split like any other compound they left
 * one-letter terms and glued forms ("isn't" gave "isn", "t", "isnt"; "I'm" gave "im", which matched the heading
 * "I'm using Knoppix" for a question about log files "once I'm booted").
 */
const CLITIC_RE = /^(.*[\p{L}\p{N}])['’](s|t|m|d|ll|re|ve)$/u;
/** Negated auxiliaries whose stem is not the word minus its "n": "can't", "won't", "shan't", "ain't". */
const NEGATED_STEMS: ReadonlyMap<string, string> = new Map([["can", "can"], ["won", "will"], ["shan", "shall"], ["ain", "is"]]);

/**
 * Contractions customers type without the apostrophe ("im", "dont"), read as the contraction: only forms that are no
 * other English word (not "its", "lets", "well", "shell", "wont", "cant", "id").
 */
const BARE_CONTRACTIONS: ReadonlyMap<string, string> = new Map(
  ("i'm i've you're you've they're they've we've that's what's there's here's who's how's where's don't " +
    "doesn't didn't isn't aren't wasn't weren't hasn't haven't hadn't couldn't shouldn't wouldn't mustn't needn't")
    .split(" ")
    .map((c) => [c.replace("'", ""), c]),
);

function analyzeLatin(text: string, out: string[], drop: StopFilter): void {
  const run = BARE_CONTRACTIONS.get(text) ?? text;
  const clitic = CLITIC_RE.exec(run);
  if (clitic && (clitic[2] !== "t" || clitic[1]!.endsWith("n"))) {
    const word = clitic[1]!;
    if (clitic[2] !== "t") return analyzeCompound(word, out, drop);
    analyzeCompound(NEGATED_STEMS.get(word) ?? word.slice(0, -1), out, drop);
    return pushLatin("not", out, drop);
  }
  analyzeCompound(run, out, drop);
}

function analyzeCompound(run: string, out: string[], drop: StopFilter): void {
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
  out.push(stemOf(participleOf(word)));
}

/**
 * Porter stemming was the analyzer's largest cost (every candidate chunk is analyzed at query time, every chunk at
 * ingest), and Zipf-distributed text repeats words heavily, so stems are memoised. Bounded: cleared when full, so
 * a stream of unique tokens (ids, hashes) cannot grow it without limit. A pure function's cache, not state.
 */
const STEM_CACHE_LIMIT = 200_000;
const stemCache = new Map<string, string>();

/** The analyzer's stem of one lower-case word (Porter for letters only; anything else as it is). */
export function stemOf(word: string): string {
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
  for (const seg of zhWordSegmenter().segment(run)) {
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

