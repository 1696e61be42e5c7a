/**
 * The `wordsBigrams` baseline (issue #13): plain Okapi BM25 in memory over `Intl.Segmenter("zh")` words plus CJK
 * character bigrams. Fixed and never tuned, and deliberately independent of the product's analyzer (no stemming, no
 * stop words, no question fillers, no fields): it is the bar a plain, well-known recipe sets on Chinese text, so the
 * product's hybrid retrieval is read against it on every JSONL dataset.
 */
export const BASELINE_K1 = 1.2;
export const BASELINE_B = 0.75;

const segmenter = new Intl.Segmenter("zh", { granularity: "word" });
const WORD_RE = /^[\p{L}\p{N}]+$/u;
// Spelled out rather than taken from src/text/cjk.ts: the yardstick must not move when the product's classes do.
const CJK_RUN_RE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]+/gu;

/**
 * Terms of `text`, with repeats: NFKC + lower-cased `Intl.Segmenter("zh", word)` segments made only of letters and
 * digits, then the character bigrams of every CJK run (a run of one character adds nothing: it is already a word).
 */
export function wordsBigramsTerms(text: string): string[] {
  const norm = text.normalize("NFKC").toLowerCase();
  const out: string[] = [];
  for (const seg of segmenter.segment(norm)) if (seg.isWordLike && WORD_RE.test(seg.segment)) out.push(seg.segment);
  for (const m of norm.matchAll(CJK_RUN_RE)) {
    const chars = [...m[0]];
    for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  }
  return out;
}

/** One indexed passage: its document id and text. */
export interface BaselineDoc {
  id: string;
  documentId: string;
  text: string;
}

export interface BaselineHit {
  id: string;
  documentId: string;
  score: number;
}

/**
 * Okapi BM25 (k1 {@link BASELINE_K1}, b {@link BASELINE_B}, IDF `ln(1 + (N - df + 0.5) / (df + 0.5))`) over
 * {@link wordsBigramsTerms}. Query terms count with their repeats, as in the textbook formula's sum over query terms.
 */
export class WordsBigramsIndex {
  private readonly tf: Array<Map<string, number>> = [];
  private readonly lengths: number[] = [];
  private readonly df = new Map<string, number>();
  private readonly avgLength: number;

  constructor(private readonly docs: readonly BaselineDoc[]) {
    for (const d of docs) {
      const counts = new Map<string, number>();
      const terms = wordsBigramsTerms(d.text);
      for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
      for (const t of counts.keys()) this.df.set(t, (this.df.get(t) ?? 0) + 1);
      this.tf.push(counts);
      this.lengths.push(terms.length);
    }
    this.avgLength = docs.length > 0 ? this.lengths.reduce((a, b) => a + b, 0) / docs.length : 0;
  }

  /** The best `k` passages for `query` (score > 0), skipping documents in `exclude`; ties keep index order. */
  search(query: string, k: number, exclude: ReadonlySet<string> = new Set()): BaselineHit[] {
    const n = this.docs.length;
    const terms = wordsBigramsTerms(query).filter((t) => this.df.has(t));
    const hits: BaselineHit[] = [];
    this.docs.forEach((d, i) => {
      if (exclude.has(d.documentId)) return;
      const counts = this.tf[i]!;
      const norm = BASELINE_K1 * (1 - BASELINE_B + (BASELINE_B * this.lengths[i]!) / (this.avgLength || 1));
      let score = 0;
      for (const t of terms) {
        const f = counts.get(t);
        if (!f) continue;
        const df = this.df.get(t)!;
        score += Math.log(1 + (n - df + 0.5) / (df + 0.5)) * ((f * (BASELINE_K1 + 1)) / (f + norm));
      }
      if (score > 0) hits.push({ id: d.id, documentId: d.documentId, score });
    });
    return hits.sort((a, b) => b.score - a.score).slice(0, k);
  }
}
