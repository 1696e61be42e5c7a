import type { ChunkFilter } from "../../src/domain/chunk.js";
import type { KeywordDoc, KeywordHit, KeywordStats } from "../../src/ports/keyword-index.js";
import { seededRandom } from "../../src/eval/metrics.js";

/**
 * Brute-force BM25 written straight from the port's contract (FTS5's formula: k1 1.2, b 0.75, title weight 2,
 * body 1, IDF ln((N − n + 0.5)/(n + 0.5)) floored at 1e-6, length = tokens of both fields, statistics of the
 * collections the filter covers). Deliberately naive: every doc, every term, no shared code with any index.
 */
export function referenceStats(docs: readonly KeywordDoc[], terms: readonly string[], collections?: readonly string[]): KeywordStats {
  const scope = inScope(docs, collections);
  const df = new Map<string, number>();
  for (const t of terms) df.set(t, scope.filter((d) => d.titleTokens.includes(t) || d.bodyTokens.includes(t)).length);
  return { chunks: scope.length, df };
}

/** Every matching doc's score, best first, ties by chunk key. */
export function referenceSearch(docs: readonly KeywordDoc[], terms: readonly string[], filter: ChunkFilter = {}): KeywordHit[] {
  const scope = inScope(docs, filter.collections);
  const n = scope.length;
  if (n === 0) return [];
  const avgdl = scope.reduce((s, d) => s + d.titleTokens.length + d.bodyTokens.length, 0) / n;
  const unique = [...new Set(terms)];
  const idf = unique.map((t) => {
    const df = scope.filter((d) => d.titleTokens.includes(t) || d.bodyTokens.includes(t)).length;
    const v = Math.log((n - df + 0.5) / (df + 0.5));
    return v > 0 ? v : 1e-6;
  });
  const hits: KeywordHit[] = [];
  for (const d of scope) {
    if (!passes(d, filter)) continue;
    const length = d.titleTokens.length + d.bodyTokens.length;
    let score = 0;
    unique.forEach((t, i) => {
      const f = 2 * d.titleTokens.filter((x) => x === t).length + d.bodyTokens.filter((x) => x === t).length;
      if (f > 0) score += (idf[i]! * f * 2.2) / (f + 1.2 * (1 - 0.75 + (0.75 * length) / avgdl));
    });
    if (score > 0) hits.push({ chunkId: d.chunkId, score });
  }
  return hits.sort((a, b) => b.score - a.score || (a.chunkId < b.chunkId ? -1 : 1));
}

function inScope(docs: readonly KeywordDoc[], collections: readonly string[] | undefined): KeywordDoc[] {
  return collections && collections.length > 0 ? docs.filter((d) => collections.includes(d.collection)) : [...docs];
}

function passes(d: KeywordDoc, f: ChunkFilter): boolean {
  const within = (values: readonly string[] | undefined, v: string | undefined): boolean =>
    !values || values.length === 0 || (v !== undefined && values.includes(v));
  return within(f.sourceTypes, d.sourceType) && within(f.products, d.product) && within(f.languages, d.language)
    && within(f.documentIds, d.documentId) && (!f.ticketCollections || d.sourceType !== "ticket" || f.ticketCollections.includes(d.collection));
}

/** Deterministic PRNG (the project's mulberry32), so a failing seed can be replayed. */
export const rng = seededRandom;

export const COLLECTIONS = ["alpha", "beta", "gamma"];
export const PRODUCTS = ["tv-100", "tv-200"];
export const LANGUAGES = ["en", "zh"];
const WORDS = Array.from({ length: 80 }, (_, i) => `w${i}`);

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

/** A skewed word (low indices common), so some terms are in most chunks and some in a handful. */
function word(r: () => number): string {
  return WORDS[Math.floor(WORDS.length * r() ** 2.5)]!;
}

/** `count` random docs over three collections, both source types, optional product and language, shared document ids. */
export function randomDocs(r: () => number, count: number, prefix = "c"): KeywordDoc[] {
  return Array.from({ length: count }, (_, i) => {
    const collection = pick(r, COLLECTIONS);
    const product = r() < 0.3 ? undefined : pick(r, PRODUCTS);
    const language = r() < 0.3 ? undefined : pick(r, LANGUAGES);
    return {
      chunkId: `${prefix}${i}`,
      titleTokens: Array.from({ length: Math.floor(r() * 4) }, () => word(r)),
      bodyTokens: Array.from({ length: 1 + Math.floor(r() * 40) }, () => word(r)),
      collection,
      documentId: `doc${Math.floor(r() * 12)}`,
      sourceType: r() < 0.25 ? "ticket" : r() < 0.15 ? "curated" : "manual",
      ...(product ? { product } : {}),
      ...(language ? { language } : {}),
    };
  });
}

/** A random query: 1–5 terms, sometimes repeated or unknown to the corpus. */
export function randomTerms(r: () => number): string[] {
  const terms = Array.from({ length: 1 + Math.floor(r() * 5) }, () => (r() < 0.5 ? word(r) : pick(r, WORDS)));
  if (r() < 0.2) terms.push("unknown-term");
  if (r() < 0.2) terms.push(terms[0]!);
  return terms;
}

/** A random filter using every field, each sometimes absent, sometimes an empty list, sometimes unknown values. */
export function randomFilter(r: () => number, documentIds: readonly string[]): ChunkFilter {
  const some = <T>(xs: readonly T[]): T[] => xs.filter(() => r() < 0.5);
  const f: ChunkFilter = {};
  if (r() < 0.5) f.collections = r() < 0.1 ? ["nowhere"] : some(COLLECTIONS);
  if (r() < 0.3) f.sourceTypes = some(["manual", "ticket", "curated"] as const);
  if (r() < 0.3) f.products = some([...PRODUCTS, "other"]);
  if (r() < 0.3) f.languages = some(LANGUAGES);
  if (r() < 0.2) f.documentIds = some(documentIds);
  if (r() < 0.3) f.ticketCollections = some(COLLECTIONS);
  return f;
}
