import type { KeywordStore } from "./keyword-store.js";

/** One query term, ready to score: its id, IDF over the scope, and an upper bound of what it adds to any score. */
export interface TermPlan {
  t: number;
  idf: number;
  bound: number;
}

/** What scoring a query needs besides its terms. */
export interface ScoreContext {
  store: KeywordStore;
  k1: number;
  b: number;
  titleWeight: number;
  bodyWeight: number;
  avgdl: number;
  /** Score accumulator (all zero between queries), per-slot filter verdicts, and the touched slots. */
  score: Float64Array;
  verdict: Uint8Array;
  touched: Int32Array;
  /** Undefined when the filter constrains nothing (then only tombstones are skipped). */
  accept: ((slot: number) => boolean) | undefined;
}

/**
 * The most a term can add to a score: BM25's saturation f/(f + K) grows with f and shrinks with K, f is at most
 * the term's largest weighted count and K = k1·(1 − b + b·D/avgdl) is at least k1·(1 − b).
 */
export function termBound(store: KeywordStore, t: number, idf: number, c: Pick<ScoreContext, "k1" | "b" | "titleWeight" | "bodyWeight">): number {
  const max = store.maxTf[t]!;
  const f = c.titleWeight * (max >>> 16) + c.bodyWeight * (max & 0xffff);
  return (idf * f * (c.k1 + 1)) / (f + c.k1 * (1 - c.b));
}

/** Slack on bounds, so that floating-point rounding of sums can never prune a chunk that belongs in the top k. */
const SLACK = 1e-9;

/**
 * Exact top-k BM25 accumulation with MaxScore pruning. Terms are taken highest bound first, each scanning its whole
 * posting list, while a chunk touched by none of them so far could still reach the top k. Once the bounds of the
 * terms left sum below the k-th best partial score (a lower bound of the final k-th score), no untouched chunk can
 * make it: the remaining (common, long-listed) terms only add to the candidates, found by binary search in their
 * slot-sorted posting lists, and candidates that cannot reach the k-th score any more are dropped. Returns how
 * many slots `touched` holds (their final scores in `score`).
 */
export function accumulate(ctx: ScoreContext, plan: TermPlan[], k: number): number {
  plan.sort((x, y) => y.bound - x.bound || x.t - y.t);
  const rest = new Float64Array(plan.length + 1);
  for (let i = plan.length - 1; i >= 0; i--) rest[i] = rest[i + 1]! + plan[i]!.bound;
  let n = 0;
  let candidatesOnly = false;
  for (let i = 0; i < plan.length; i++) {
    const { t } = plan[i]!;
    const remaining = rest[i]! * (1 + SLACK);
    if (n >= k && (candidatesOnly || ctx.store.postLen[t]! > n)) {
      const floor = kthLargest(ctx.score, ctx.touched, n, k);
      if (remaining < floor) {
        if (!candidatesOnly) ctx.touched.subarray(0, n).sort();
        candidatesOnly = true;
        n = prune(ctx, n, floor, remaining);
      }
    }
    if (candidatesOnly) scoreCandidates(ctx, plan[i]!, n);
    else n = scanPostings(ctx, plan[i]!, n);
  }
  return n;
}

/** Adds the term to every accepted chunk in its posting list; returns the new touched count. */
function scanPostings(ctx: ScoreContext, { t, idf }: TermPlan, n: number): number {
  const { store, score, verdict, touched, accept, k1, b, titleWeight, bodyWeight, avgdl } = ctx;
  const { alive, titleLen, bodyLen } = store;
  const slots = store.slotsOf(t);
  const tfs = store.tfsOf(t);
  for (let i = 0, len = store.postLen[t]!; i < len; i++) {
    const s = slots[i]!;
    if (accept) {
      let v = verdict[s]!;
      if (v === 0) {
        v = alive[s] === 1 && accept(s) ? 1 : 2;
        verdict[s] = v;
      }
      if (v !== 1) continue;
    } else if (alive[s] !== 1) {
      continue;
    }
    const packed = tfs[i]!;
    const f = titleWeight * (packed >>> 16) + bodyWeight * (packed & 0xffff);
    if (f <= 0) continue;
    if (score[s] === 0) touched[n++] = s;
    score[s]! += (idf * f * (k1 + 1)) / (f + k1 * (1 - b + (b * (titleLen[s]! + bodyLen[s]!)) / avgdl));
  }
  return n;
}

/** Adds the term to the candidates (ascending slots) that contain it, found by binary search from the last hit. */
function scoreCandidates(ctx: ScoreContext, { t, idf }: TermPlan, n: number): void {
  const { store, score, touched, k1, b, titleWeight, bodyWeight, avgdl } = ctx;
  const slots = store.slotsOf(t);
  const tfs = store.tfsOf(t);
  const len = store.postLen[t]!;
  let lo = 0;
  for (let c = 0; c < n && lo < len; c++) {
    const s = touched[c]!;
    let hi = len;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (slots[mid]! < s) lo = mid + 1;
      else hi = mid;
    }
    if (lo === len || slots[lo] !== s) continue;
    const packed = tfs[lo]!;
    const f = titleWeight * (packed >>> 16) + bodyWeight * (packed & 0xffff);
    if (f > 0) score[s]! += (idf * f * (k1 + 1)) / (f + k1 * (1 - b + (b * (store.titleLen[s]! + store.bodyLen[s]!)) / avgdl));
  }
}

/** Drops candidates that cannot reach `floor` even with every remaining term (their scores reset); keeps order. */
function prune(ctx: ScoreContext, n: number, floor: number, remaining: number): number {
  const { score, touched } = ctx;
  let out = 0;
  for (let i = 0; i < n; i++) {
    const s = touched[i]!;
    if (score[s]! + remaining < floor) score[s] = 0;
    else touched[out++] = s;
  }
  return out;
}

/** The k-th largest score among the first `n` touched slots (n ≥ k), with a bounded min-heap. */
function kthLargest(score: Float64Array, touched: Int32Array, n: number, k: number): number {
  const heap = new Float64Array(k);
  let size = 0;
  for (let i = 0; i < n; i++) {
    const v = score[touched[i]!]!;
    if (size < k) {
      let j = size++;
      heap[j] = v;
      while (j > 0 && heap[(j - 1) >> 1]! > heap[j]!) {
        const p = (j - 1) >> 1;
        [heap[p], heap[j]] = [heap[j]!, heap[p]!];
        j = p;
      }
    } else if (v > heap[0]!) {
      heap[0] = v;
      for (let j = 0; ;) {
        const l = 2 * j + 1;
        const r = l + 1;
        let m = j;
        if (l < k && heap[l]! < heap[m]!) m = l;
        if (r < k && heap[r]! < heap[m]!) m = r;
        if (m === j) break;
        [heap[m], heap[j]] = [heap[j]!, heap[m]!];
        j = m;
      }
    }
  }
  return heap[0]!;
}
