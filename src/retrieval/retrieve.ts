import type { Chunk, ChunkFilter, ScriptFamily } from "../domain/chunk.js";
import type { DocumentRepository } from "../ports/document-repository.js";
import type { Embedder } from "../ports/embedder.js";
import type { KeywordIndex } from "../ports/keyword-index.js";
import type { VectorIndex } from "../ports/vector-index.js";
import { queryTermSequence } from "../text/analyzer.js";
import { chunkTerms } from "../text/chunk-terms.js";
import { DEFAULT_LEXICAL_SETTINGS, lexicalFeatures, type LexicalFeatures, type LexicalSettings } from "./lexical-features.js";
import { createQueryMemo, type QueryMemo } from "./query-memo.js";
import { queryEvidence, type QueryEvidence } from "./query-evidence.js";
import { questionCompounds, questionNames, questionPhrases } from "./question-names.js";
import { cjkBridges } from "../text/cjk-bridges.js";
import { phrasesApart } from "./phrase-evidence.js";
import { denseOrderReranker } from "./rerankers/dense-order.js";
import { fusionReranker } from "./rerankers/fusion.js";
import { bm25Source } from "./sources/bm25-source.js";
import { denseSource } from "./sources/dense-source.js";
import type { Candidate, CandidateSource, Reranker, RetrievalContext, SourceHit } from "./stages.js";

export type RetrievalMode = "hybrid" | "bm25" | "dense";

/** A retrieved chunk with the evidence behind its rank. */
export interface ScoredChunk extends Chunk {
  /** Fused score; comparable only within one result list. */
  score: number;
  bm25Rank?: number;
  denseRank?: number;
  /** Cosine similarity to the query (dense leg), when the dense leg ran. */
  similarity?: number;
  /** Raw lexical evidence of the chunk (bm25 and hybrid modes). */
  lexical?: LexicalFeatures;
}

export interface RetrieveOptions {
  mode?: RetrievalMode;
  topK?: number;
  filter?: ChunkFilter;
  /** The question's memo (IDF, query vectors) shared with the other stages; a fresh one when absent. */
  memo?: QueryMemo;
  /**
   * Rank only chunks in this script family (or without a language): for a reply that quotes, which can use no other
   * (see `quotableIn`). Candidates are searched among those chunks only, and the term statistics (IDF, which terms no
   * chunk holds, which phrases none writes together) are theirs, so ranks, fused scores and the confidence evidence
   * are those of a collection holding only them. Without this, English manuals that share a name with a Chinese
   * question ("crontab") took the first ranks and the margin, made every Chinese term rare, and counted the
   * question's names as covered; the Chinese passage the reply quoted was refused (and an English question naming
   * what only a Chinese page held was answered from an unrelated English one).
   */
  scriptFamily?: ScriptFamily;
}

/**
 * Weight of each evidence feature in the fused score (features are max-normalised over the candidates): the lexical
 * features, `dense` (cosine similarity to the query) and `denseRank` (where the vector index ranked the chunk among
 * its nearest neighbours, see `rerankers/fusion.ts`).
 */
export type FusionWeights = Record<keyof LexicalFeatures | "dense" | "denseRank", number>;

export interface RetrievalSettings {
  /** Candidates taken from each leg before re-ranking. */
  candidates: number;
  weights: FusionWeights;
  /** At most this many chunks of one section (same document and section path) in the result. */
  perSection: number;
  /** A dropped chunk of the top result's section scoring at least this share of it is returned as `sectionMate` (0 = never). */
  mateShare: number;
  /** Hybrid mode: dense hits outside the BM25 candidates join the pool (else dense only re-ranks). */
  denseCandidates: boolean;
  /** Dense mode: weight query terms by IDF in the query vector, when the embedder supports it (the local one does). */
  weightedQuery: boolean;
  lexical: LexicalSettings;
}

export const DEFAULT_RETRIEVAL_SETTINGS: RetrievalSettings = {
  candidates: 40,
  // Built-in weights (set on tv-manual in session 2); the engine uses the ones `npm run fit` writes to `fitted/`.
  // denseRank (session 11) was checked on all three dev sets: 0.25 lifts pdf-manuals page recall@1 0.686 → 0.743 and
  // zh-cs r@1 0.658 → 0.663 at a cost of 0.019 to tv-manual r@1 (0.2: 0.714 / 0.663 / −0.013; 0.3: tv −0.025).
  // topicHeading (session 9) at 0.2: pdf-manuals page recall@1 0.786 → 0.814, tv-manual and zh-cs unchanged; 0.4 lost
  // three pdf answers to neighbouring sections.
  weights: { passage: 1, section: 0.8, coverage: 0.7, proximity: 0.6, lead: 0.3, questionHeading: 0, topicHeading: 0.2, dense: 0.4, denseRank: 0.25 },
  perSection: 1,
  mateShare: 0.85,
  denseCandidates: true,
  weightedQuery: true,
  lexical: DEFAULT_LEXICAL_SETTINGS,
};

export interface RetrievalResult {
  query: string;
  terms: string[];
  chunks: ScoredChunk[];
  /** Best cosine similarity among dense candidates (0 when the dense leg did not run). */
  topSimilarity: number;
  /** What the question's own terms say about answerability (see `queryEvidence`); absent = no evidence either way. */
  queryEvidence?: QueryEvidence;
  /**
   * The best chunk of the top result's own section that diversification dropped (perSection), when it scored at least
   * `mateShare` of the top: a long section's decisive fact is often one chunk away from the chunk that named the topic
   * best. Kept apart from `chunks`, so the ranking, confidence and page figures see one chunk per section as before.
   */
  sectionMate?: ScoredChunk;
  timings: { embedMs: number; bm25Ms: number; denseMs: number; totalMs: number };
}

export interface RetrieverDeps {
  store: Pick<DocumentRepository, "getChunks" | "getChunkTerms" | "getVectors">;
  keywords: KeywordIndex;
  embedder: Embedder;
  /** The current vector index (a getter: a rebuild may swap it). */
  vectors: () => VectorIndex;
}

/** The candidate sources, in pool order, and the re-rankers, in sequence. A new one is a file and a line here. */
const SOURCES: readonly CandidateSource[] = [bm25Source, denseSource];
const RERANKERS: readonly Reranker[] = [fusionReranker, denseOrderReranker];

/**
 * Retrieval in three modes, as pipeline stages: candidate sources (BM25 over analyzer tokens; the HNSW index,
 * except in bm25 mode) → re-rankers (dense mode: cosine order; other modes: lexical evidence and cosine fused, see
 * `rerankers/fusion.ts`) → diversify (at most `perSection` chunks per section, so one long section cannot crowd out
 * the others) → hydrate (only the results' text is read). Pass `options.memo` to share the IDF and the query vector
 * with the other stages answering the same question.
 */
export async function retrieve(deps: RetrieverDeps, query: string, options: RetrieveOptions = {}, settings = DEFAULT_RETRIEVAL_SETTINGS): Promise<RetrievalResult> {
  const t0 = performance.now();
  const mode = options.mode ?? "hybrid";
  const topK = options.topK ?? 6;
  const termSequence = queryTermSequence(query);
  const terms = [...new Set(termSequence)];
  const memo = options.memo ?? createQueryMemo(deps);
  const family = options.scriptFamily;
  const scope = options.filter?.collections;
  const idf = await memo.idf(terms, scope, family);
  const filter = family && (await holdsOtherFamily(memo, terms, scope, family)) ? { ...options.filter, scriptFamily: family } : options.filter;
  const ctx: RetrievalContext = {
    query, terms, termSequence, idf, mode, topK, candidates: Math.max(settings.candidates, topK * 3),
    ...(filter ? { filter } : {}), ...(family ? { scriptFamily: family } : {}), settings, memo, store: deps.store, keywords: deps.keywords, vectors: deps.vectors,
  };
  const timing = { bm25: 0, dense: 0 };
  const hits = new Map<CandidateSource["name"], SourceHit[]>();
  for (const source of SOURCES.filter((s) => s.runs(ctx))) {
    const ts = performance.now();
    hits.set(source.name, await source.hits(ctx));
    timing[source.name] += performance.now() - ts;
  }
  let ranked = await pool(ctx, hits);
  for (const reranker of RERANKERS.filter((r) => r.runs(ctx))) ranked = await reranker.rerank(ctx, ranked, hits);
  const results = diversify(ranked, topK, settings.perSection);
  const mate = sectionMateOf(ranked, results, settings.mateShare);
  const df = (t: string): number => memo.df(t, scope, family) ?? 1;
  // Only phrases whose every word is a search term: the others were cut by the analyzer's question fillers.
  const phrases = questionPhrases(query).filter((p) => p.terms.every((t) => ctx.idf.has(t)));
  const apart = phrases.length > 0 ? await phrasesApart({ keywords: deps.keywords, store: deps.store }, phrases, df, scope, ranked, family) : [];
  const evidence = queryEvidence(terms, df, memo.chunks(scope, family), { names: questionNames(query), compounds: questionCompounds(query), phrasesApart: apart, bridges: cjkBridges(query) });
  const hydrated = await hydrate(deps.store, mate ? [...results, mate] : results);
  const sectionMate = mate && hydrated.at(-1)?.id === mate.chunkId ? hydrated.pop() : undefined;
  const chunks = hydrated;
  if (mode === "dense") {
    // Not used for ranking: the lexical evidence of the results lets answerability be judged as in other modes.
    const stored = await deps.store.getChunkTerms(chunks.map((c) => c.id));
    lexicalFeatures(termSequence, chunks, ctx.idf, (c) => stored.get(c.id) ?? chunkTerms(c), settings.lexical).forEach((f, i) => (chunks[i]!.lexical = f));
  }
  return {
    query,
    terms,
    chunks,
    topSimilarity: hits.get("dense")?.[0]?.similarity ?? 0,
    queryEvidence: evidence,
    ...(sectionMate ? { sectionMate } : {}),
    timings: { embedMs: 0, bm25Ms: timing.bm25, denseMs: timing.dense, totalMs: performance.now() - t0 },
  };
}

/**
 * Whether the collections of `scope` hold chunks of the other script family than `family` (else the family filter
 * would keep every chunk, and cost a filtered vector search for nothing). From the memo's chunk counts.
 */
async function holdsOtherFamily(memo: QueryMemo, terms: readonly string[], scope: readonly string[] | undefined, family: ScriptFamily): Promise<boolean> {
  await memo.idf(terms, scope);
  return memo.chunks(scope, family) < memo.chunks(scope);
}

/**
 * The candidates of the sources that join the pool, in source order without repeats, with their stored terms (one
 * indexed read instead of fetching and re-analyzing every candidate's text); a key without terms is a chunk
 * deleted since the search, and is dropped.
 */
async function pool(ctx: RetrievalContext, hits: ReadonlyMap<CandidateSource["name"], SourceHit[]>): Promise<Candidate[]> {
  const ids: string[] = [];
  const seen = new Set<string>();
  for (const source of SOURCES) {
    const list = hits.get(source.name);
    if (!list || !source.joinsPool(ctx, ids.length)) continue;
    for (const h of list) if (!seen.has(h.chunkId)) (seen.add(h.chunkId), ids.push(h.chunkId));
  }
  if (ids.length === 0) return [];
  const stored = await ctx.store.getChunkTerms(ids);
  const rank = (name: CandidateSource["name"]) => new Map((hits.get(name) ?? []).map((h, i) => [h.chunkId, { rank: i + 1, similarity: h.similarity }]));
  const bm25 = rank("bm25");
  const dense = rank("dense");
  const out: Candidate[] = [];
  for (const l of ids) {
    const c = stored.get(l);
    if (!c) continue;
    // Fields set one by one rather than spread from conditional literals (V8's slow path), in the same key order.
    const candidate: Candidate = { ...c, score: 0 };
    const b = bm25.get(l)?.rank;
    const d = dense.get(l);
    if (b !== undefined) candidate.bm25Rank = b;
    if (d) candidate.denseRank = d.rank;
    if (d?.similarity !== undefined) candidate.similarity = d.similarity;
    out.push(candidate);
  }
  return out;
}

/** The full chunks of the ranked results, in rank order (a chunk deleted meanwhile is skipped). */
async function hydrate(store: RetrieverDeps["store"], ranked: readonly Candidate[]): Promise<ScoredChunk[]> {
  const chunks = new Map((await store.getChunks(ranked.map((r) => r.chunkId))).map((c) => [c.id, c]));
  return ranked.flatMap((r) => {
    const c = chunks.get(r.chunkId);
    if (!c) return [];
    const { titleTokens: _t, bodyTokens: _b, position: _p, chunkId: _k, language: _l, ...evidence } = r;
    return [{ ...c, ...evidence }];
  });
}

/** The best-ranked chunk of the top result's section left out of `results`, if it scores `share` of the top. */
function sectionMateOf(ranked: readonly Candidate[], results: readonly Candidate[], share: number): Candidate | undefined {
  const top = results[0];
  if (!top || !(share > 0) || !(top.score > 0)) return undefined;
  const kept = new Set(results.map((r) => r.chunkId));
  const sameSection = (c: Candidate): boolean => c.documentId === top.documentId && c.sectionPath.join("\u0000") === top.sectionPath.join("\u0000");
  const mate = ranked.find((c) => !kept.has(c.chunkId) && sameSection(c));
  return mate && mate.score >= share * top.score ? mate : undefined;
}

function diversify<T extends Pick<Chunk, "documentId" | "sectionPath">>(ranked: readonly T[], topK: number, perSection: number): T[] {
  const out: T[] = [];
  const perKey = new Map<string, number>();
  for (const c of ranked) {
    const key = `${c.documentId}\u0000${c.sectionPath.join("\u0000")}`;
    const seen = perKey.get(key) ?? 0;
    if (seen >= perSection) continue;
    perKey.set(key, seen + 1);
    out.push(c);
    if (out.length >= topK) break;
  }
  return out;
}
