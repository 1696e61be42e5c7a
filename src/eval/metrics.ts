/** Retrieval and answer quality metrics used by `npm run eval`. Document-level, binary relevance. */

export function recallAt(ranked: readonly string[], gold: ReadonlySet<string>, k: number): number {
  return ranked.slice(0, k).some((d) => gold.has(d)) ? 1 : 0;
}

export function reciprocalRankAt(ranked: readonly string[], gold: ReadonlySet<string>, k: number): number {
  const i = ranked.slice(0, k).findIndex((d) => gold.has(d));
  return i < 0 ? 0 : 1 / (i + 1);
}

export function ndcgAt(ranked: readonly string[], gold: ReadonlySet<string>, k: number): number {
  let dcg = 0;
  ranked.slice(0, k).forEach((d, i) => {
    if (gold.has(d)) dcg += 1 / Math.log2(i + 2);
  });
  let ideal = 0;
  for (let i = 0; i < Math.min(gold.size, k); i++) ideal += 1 / Math.log2(i + 2);
  return ideal > 0 ? dcg / ideal : 0;
}

// Spelled out rather than taken from src/text/cjk.ts: the yardstick must not move when the product's classes do.
const EVAL_TOKEN_RE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]|[\p{L}\p{N}]+/gu;

/** Tokens for answer-overlap metrics: lower-cased words, single CJK characters; citation markers removed. */
export function evalTokens(text: string): string[] {
  return (text.replace(/\[\d+(?:\s*,\s*\d+)*\]/g, " ").toLowerCase().match(EVAL_TOKEN_RE) ?? []) as string[];
}

function lcsLength(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  let prev = new Uint32Array(b.length + 1);
  let cur = new Uint32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, cur[j - 1]!);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}

function f1(overlap: number, predicted: number, reference: number): number {
  if (overlap === 0 || predicted === 0 || reference === 0) return 0;
  const p = overlap / predicted;
  const r = overlap / reference;
  return (2 * p * r) / (p + r);
}

/** ROUGE-L F1 on {@link evalTokens}. */
export function rougeL(prediction: string, reference: string): number {
  const a = evalTokens(prediction);
  const b = evalTokens(reference);
  return f1(lcsLength(a, b), a.length, b.length);
}

/** SQuAD-style bag-of-tokens F1 on {@link evalTokens}. */
export function tokenF1(prediction: string, reference: string): number {
  const a = evalTokens(prediction);
  const b = evalTokens(reference);
  const counts = new Map<string, number>();
  for (const t of b) counts.set(t, (counts.get(t) ?? 0) + 1);
  let overlap = 0;
  for (const t of a) {
    const c = counts.get(t) ?? 0;
    if (c > 0) {
      overlap += 1;
      counts.set(t, c - 1);
    }
  }
  return f1(overlap, a.length, b.length);
}

/** Nearest-rank percentile (p in 0..100) of a sample; 0 for an empty sample. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((x, y) => x - y);
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((s, v) => s + v, 0) / values.length;
}

/** Unique document ids in first-seen order (chunk ranks → document ranks). */
export function documentRanking(documentIds: readonly string[]): string[] {
  return [...new Set(documentIds)];
}

/** Deterministic PRNG (mulberry32) for seeded sampling. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
