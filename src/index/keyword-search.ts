import type { ChunkFilter, ScriptFamily } from "../domain/chunk.js";
import type { KeywordHit, KeywordStats } from "../ports/keyword-index.js";
import type { Interner } from "./keyword-arrays.js";
import { SCRIPT_CLASSES, scriptClassOf } from "./keyword-groups.js";
import { SOURCE_TYPES, type KeywordStore } from "./keyword-store.js";
import { accumulate, termBound, type ScoreContext, type TermPlan } from "./keyword-maxscore.js";
import { TopK } from "./keyword-topk.js";

/** BM25 constants and per-field weights (FTS5's bm25(chunks_fts, title, body) with k1 1.2, b 0.75). */
export interface Bm25Params {
  k1: number;
  b: number;
  titleWeight: number;
  bodyWeight: number;
}

export const FTS5_BM25: Bm25Params = { k1: 1.2, b: 0.75, titleWeight: 2, bodyWeight: 1 };

/** The statistics a query is scored with: those of the groups (collection × script class) it covers. */
interface Scope {
  /** Covered group ids; undefined when every group with live chunks is covered (then liveDf is exact). */
  mask: Uint8Array | undefined;
  chunks: number;
  tokens: number;
}

/**
 * The groups of `collections` (undefined or empty: every collection), only those of chunks without a language or of
 * script family `family` when given.
 */
function scopeOf(store: KeywordStore, collections: readonly string[] | undefined, family?: ScriptFamily): Scope {
  const n = store.collections.size * SCRIPT_CLASSES;
  let mask: Uint8Array | undefined;
  // An empty list means "no constraint", as in the SQL filters.
  if ((collections && collections.length > 0) || family) {
    mask = new Uint8Array(n);
    const ids = collections && collections.length > 0 ? collections.map((c) => store.collections.find(c)) : store.collections.values.map((_, i) => i);
    const classes = family ? [0, scriptClassOf(family)] : [...Array(SCRIPT_CLASSES).keys()];
    for (const id of ids) if (id >= 0) for (const k of classes) mask[id * SCRIPT_CLASSES + k] = 1;
  }
  let chunks = 0;
  let tokens = 0;
  let coversAll = true;
  for (let g = 0; g < n; g++) {
    const live = store.groupChunks[g] ?? 0;
    if (mask && mask[g] === 0) {
      if (live > 0) coversAll = false;
      continue;
    }
    chunks += live;
    tokens += (store.groupTitleTokens[g] ?? 0) + (store.groupBodyTokens[g] ?? 0);
  }
  return { mask: coversAll ? undefined : mask, chunks, tokens };
}

/** Live chunks of the scope containing term id `t`. */
function scopedDf(store: KeywordStore, t: number, mask: Uint8Array | undefined): number {
  if (!mask) return store.liveDf[t]!;
  let n = 0;
  for (let g = 0; g < mask.length; g++) if (mask[g] === 1) n += store.groupDf[g]?.[t] ?? 0;
  return n;
}

/**
 * Chunk count and df of each term over `collections` (undefined or empty: every collection), over the chunks of
 * script family `family` (or without a language) only when given.
 */
export function keywordStats(store: KeywordStore, terms: readonly string[], collections?: readonly string[], family?: ScriptFamily): KeywordStats {
  const scope = scopeOf(store, collections, family);
  const df = new Map<string, number>();
  for (const term of terms) {
    const t = store.terms.find(term);
    df.set(term, t < 0 ? 0 : scopedDf(store, t, scope.mask));
  }
  return family ? { chunks: scope.chunks, df, all: keywordStats(store, terms, collections) } : { chunks: scope.chunks, df };
}

/** Per-query scratch space, reused across queries of one index (searches never interleave: they are synchronous). */
export class SearchScratch {
  score = new Float64Array(0);
  /** Per slot: 0 not yet decided, 1 passes the filter, 2 does not. */
  verdict = new Uint8Array(0);
  touched = new Int32Array(0);

  reset(slots: number): void {
    if (this.score.length < slots) {
      const cap = Math.ceil(slots * 1.25);
      this.score = new Float64Array(cap);
      this.verdict = new Uint8Array(cap);
      this.touched = new Int32Array(cap);
    } else {
      this.verdict.fill(0, 0, slots);
    }
  }
}

/**
 * Exact BM25 top-k over the scope's statistics (a dense score accumulator; MaxScore pruning only skips chunks that
 * provably cannot enter the top k, see keyword-maxscore.ts), so results equal a brute-force BM25. Best first; ties
 * by chunk key.
 */
export function keywordSearch(
  store: KeywordStore, params: Bm25Params, scratch: SearchScratch, terms: readonly string[], k: number, filter: ChunkFilter = {},
): KeywordHit[] {
  const scope = scopeOf(store, filter.collections, filter.scriptFamily);
  if (k <= 0 || scope.chunks === 0) return [];
  // The scope's groups stand for the collection and script family tests; when it covers every group holding live
  // chunks, they would pass every live slot.
  const accept = compileFilter(store, { ...filter, collections: undefined }, scope.mask);
  if (accept === "none") return [];
  const avgdl = scope.tokens / Math.max(1, scope.chunks);
  scratch.reset(store.slots);
  const ctx: ScoreContext = { store, ...params, avgdl, score: scratch.score, verdict: scratch.verdict, touched: scratch.touched, accept: accept === "all" ? undefined : accept };
  const plan: TermPlan[] = [];
  for (const term of new Set(terms)) {
    const t = store.terms.find(term);
    if (t < 0) continue;
    const n = scopedDf(store, t, scope.mask);
    if (n === 0) continue;
    const raw = Math.log((scope.chunks - n + 0.5) / (n + 0.5));
    const idf = raw > 0 ? raw : 1e-6;
    plan.push({ t, idf, bound: termBound(store, t, idf, params) });
  }
  const nTouched = accumulate(ctx, plan, k);
  const { score, touched } = scratch;
  if (nTouched === 0) return [];
  const top = new TopK(Math.min(k, nTouched), store.chunkIds);
  for (let i = 0; i < nTouched; i++) {
    const s = touched[i]!;
    top.offer(s, score[s]!);
    score[s] = 0;
  }
  return top.sorted();
}

/**
 * The filter as a per-slot predicate over interned metadata, with `groups` (a mask of the statistics groups in scope)
 * for collections and script family; "all" when it constrains nothing, "none" when nothing can pass.
 */
function compileFilter(store: KeywordStore, filter: ChunkFilter, groups: Uint8Array | undefined): ((slot: number) => boolean) | "all" | "none" {
  const tests: Array<(slot: number) => boolean> = [];
  if (groups) tests.push((s) => groups[store.groupOf(s)] === 1);
  const add = (values: readonly string[] | undefined, dict: Interner, column: Int32Array): boolean => {
    if (!values || values.length === 0) return true;
    const mask = maskOf(values, dict);
    if (!mask) return false;
    tests.push((s) => { const v = column[s]!; return v >= 0 && mask[v] === 1; });
    return true;
  };
  if (!add(filter.collections, store.collections, store.collection)) return "none";
  if (!add(filter.products, store.products, store.product)) return "none";
  if (!add(filter.languages, store.languages, store.language)) return "none";
  if (!add(filter.documentIds, store.documents, store.document)) return "none";
  if (filter.sourceTypes && filter.sourceTypes.length > 0) {
    const types = new Uint8Array(SOURCE_TYPES.length);
    for (const t of filter.sourceTypes) types[SOURCE_TYPES.indexOf(t)] = 1;
    tests.push((s) => types[store.sourceType[s]!] === 1);
  }
  const tickets = filter.ticketCollections;
  // Unlike the lists above, an empty list is a constraint here: no ticket chunks at all.
  if (tickets) {
    const ticket = SOURCE_TYPES.indexOf("ticket");
    const mask = maskOf(tickets, store.collections) ?? new Uint8Array(0);
    tests.push((s) => store.sourceType[s] !== ticket || mask[store.collection[s]!] === 1);
  }
  if (tests.length === 0) return "all";
  return (s) => {
    for (const test of tests) if (!test(s)) return false;
    return true;
  };
}

/** Membership mask over a dictionary's ids; undefined when none of `values` is known (nothing can match). */
function maskOf(values: readonly string[], dict: Interner): Uint8Array | undefined {
  const mask = new Uint8Array(dict.size);
  let any = false;
  for (const v of values) {
    const id = dict.find(v);
    if (id >= 0) { mask[id] = 1; any = true; }
  }
  return any ? mask : undefined;
}
