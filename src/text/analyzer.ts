import { stemmer } from "stemmer";
import { isStopword } from "./stopwords.js";

/**
 * The one text analyzer shared by BM25 (index and query), the local embedder and lexical overlap checks, so that
 * every component agrees on what a "term" is. Latin text: NFKC, lower case, Porter stems, stop words dropped;
 * compounds such as "HDMI-CEC" or "E-101" also yield their joined form ("hdmicec", "e101") so error codes match
 * whichever way users type them. CJK runs: dictionary words from `Intl.Segmenter` plus character bigrams, which
 * recovers recall where the segmenter's dictionary splits product terms differently from the user.
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
}

export function normalizeText(text: string): string {
  return text.normalize("NFKC").toLowerCase();
}

/** Terms of `text` in order, with repeats (term frequency matters for BM25). */
export function analyze(text: string, options: AnalyzeOptions = {}): string[] {
  const out: string[] = [];
  const keep = options.keepStopwords === true;
  for (const m of normalizeText(text).matchAll(RUN_RE)) {
    const run = m[0];
    if (CJK_RE.test(run)) analyzeCjk(run, out, keep);
    else analyzeLatin(run, out, keep);
  }
  return out;
}

/** Unique query terms (order of first appearance). */
export function queryTerms(text: string): string[] {
  return [...new Set(analyze(text))];
}

function analyzeLatin(run: string, out: string[], keep: boolean): void {
  const parts = run.split(PART_SPLIT_RE).filter((p) => p.length > 0);
  for (const part of parts) pushLatin(part, out, keep);
  if (parts.length > 1) {
    const joined = parts.join("");
    if (joined.length <= 24) out.push(joined);
  }
}

function pushLatin(word: string, out: string[], keep: boolean): void {
  if (!keep && isStopword(word)) return;
  if (word.length > 40) return;
  out.push(/^\p{L}+$/u.test(word) ? stemmer(word) : word);
}

function analyzeCjk(run: string, out: string[], keep: boolean): void {
  if (run.length === 1) {
    if (keep || !isStopword(run)) out.push(run);
    return;
  }
  for (const seg of segmenter.segment(run)) {
    if (!seg.isWordLike) continue;
    const w = seg.segment;
    if (w.length > 1 && (keep || !isStopword(w))) out.push(w);
  }
  for (let i = 0; i + 1 < run.length; i++) {
    const bigram = run.slice(i, i + 2);
    if (keep || !isStopword(bigram)) out.push(bigram);
  }
}
