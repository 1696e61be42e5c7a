import type pg from "pg";
import type { ChunkFilter, ScriptFamily } from "../domain/chunk.js";
import type { KeywordHit, KeywordIndex, KeywordStats } from "../ports/keyword-index.js";
import { K1, numbered, roundSql, statsSql } from "./pg-bm25-sql.js";
import { inTransaction, poolQuery } from "./pg-schema.js";

/** FTS5's IDF floor, which the port's contract fixes. */
const IDF_FLOOR = 1e-6;
/** Scopes and terms per scope whose statistics a keyword index keeps for its searches (see `recent`). */
const REMEMBERED_SCOPES = 16;
const REMEMBERED_TERMS = 4096;
/** Postings the first round reads by default: the rarest terms whose chunk frequencies add up to this (at least one term). */
const POSTINGS_BUDGET = 8000;

/** BM25 field weights (title/section path, body). */
export interface PgBm25Weights { title: number; body: number }

/** Chunk count, token total and each term's chunk frequency over a set of chunks. */
interface Counts { n: number; tokens: number; df: Map<string, number> }

/**
 * The statistics of a scope: over all its chunks, and over those a query is scored on (`own`: one script family's
 * where the scope also holds the other family, else the same as `all`).
 */
interface ScopeStats { all: Counts; own: Counts; mixed: boolean }

/** Query-wide values of one search. */
interface Query {
  /** Terms some chunk in scope holds, rarest first. */
  terms: string[];
  idf: Map<string, number>;
  k: number;
  avgdl: number;
  scope: string[] | null;
  filter: ChunkFilter | undefined;
}

/** The chunks completed so far (exact scores), by label. */
type Done = Map<string, { id: string; score: number }>;

/** Runs one statement: pooled (its own snapshot) or on a transaction's client (the transaction's snapshot). */
type Run = <R extends pg.QueryResultRow>(sql: string, params: unknown[]) => Promise<R[]>;

interface StatsRow { n: number; tokens: number; other_n: number; other_tokens: number; term: string | null; df: number | null; family_df: number | null }
interface RoundRow { kind: "d" | "g" | "ok"; label: string | null; id: string | null; score: number | null }

/**
 * The keyword index of the PostgreSQL store: BM25 with FTS5's formula over `postings` (term frequencies per field
 * per chunk, lengths denormalised, all in the primary key: index-only reads). N and the average length come from
 * `collection_stats` of the collections the filter covers, and each term's chunk frequency from `term_stats`, so
 * one collection's documents never shift another's ranking; the other filter fields only restrict hits. One script
 * family's statistics are counted from `postings` only where the scope holds the other family too (per-family chunk
 * counts in `collection_stats` tell); elsewhere they are the scope's own.
 *
 * Exact top k without reading every posting of common terms (MaxScore): a term adds less than IDF·(k1+1) to any
 * score. The rarest terms (postings within a budget) are "essential": only chunks holding one of them are
 * candidates, partially scored from those postings. The best candidates are completed with the other terms' postings
 * (point reads of the primary key), giving a k-th score θ. A chunk holding no essential term scores below the other
 * terms' bound sum, an unfinished candidate below its partial score plus that sum: when both are ≤ θ the top k is
 * exact. Otherwise the essential set grows to what θ proves necessary. Each round is one statement (`roundSql`): the
 * candidates stay in the server, only completed chunks (with their keys) come back.
 *
 * Statistics and scores must come from one snapshot, so a concurrent write never mixes two states into one ranking.
 * A search scores with statistics already known (the last read for its scope, when it names every term: retrieval
 * reads them for its IDF just before it searches) or read first, in a first round whose statement also checks that
 * they still hold: when they did and one round was enough (the common case), that statement's snapshot gave the whole
 * ranking — one statement, or two, and no transaction. Otherwise (or with a script family filter, whose statistics
 * are counted) the search runs again in one REPEATABLE READ transaction.
 */
export class PgKeywordIndex implements KeywordIndex {
  /**
   * The statistics last read per scope (over all its chunks), a few scopes and terms at most: a search whose terms they
   * all name scores with them (retrieval has just asked for them) and its statement checks they still hold.
   */
  private readonly recent = new Map<string, Counts>();

  /** `postingsBudget`: the first round's essential postings (any value gives the same, exact, results; tests use tiny ones). */
  constructor(private readonly pool: pg.Pool, private readonly weights: PgBm25Weights = { title: 2, body: 1 }, private readonly postingsBudget = POSTINGS_BUDGET) {}

  async search(terms: readonly string[], k: number, filter?: ChunkFilter): Promise<KeywordHit[]> {
    const unique = [...new Set(terms.filter((t) => t.length > 0))];
    if (unique.length === 0 || k <= 0) return [];
    const scope = scopeOf(filter?.collections);
    if (!filter?.scriptFamily) {
      // One statement when one round is enough: with statistics known (else read first), checked where it scores.
      const pooled = pooledRun(this.pool);
      for (const known of [true, false]) {
        const all = known ? this.recall(scope, unique) : this.remember(scope, (await scopeStats(pooled, unique, scope)).all);
        if (!all) continue;
        const q = queryOf(unique, k, all, scope, filter);
        if (!q) {
          if (known) continue;
          return [];
        }
        const done: Done = new Map();
        const step = await this.round(pooled, q, this.firstCut(q, all), done, { terms: unique, counts: all });
        if (step === "exact") return ranked(done, q.k);
        if (step !== "stale") break;
      }
    }
    return this.snapshot(async (run) => {
      const stats = await scopeStats(run, unique, scope, filter?.scriptFamily);
      // Where the scope holds only the family, the family test would keep every chunk it covers.
      const q = queryOf(unique, k, stats.own, scope, stats.mixed ? filter : withoutFamily(filter));
      if (!q) return [];
      const done: Done = new Map();
      // Unchecked rounds end "exact" (never "stale"): each further round has more essential terms, up to all of them.
      let step = await this.round(run, q, this.firstCut(q, stats.own), done);
      while (typeof step === "number") step = await this.round(run, q, step, done);
      return ranked(done, q.k);
    });
  }

  async stats(terms: readonly string[], collections?: readonly string[], family?: ScriptFamily): Promise<KeywordStats> {
    const unique = [...new Set(terms)];
    const scope = scopeOf(collections);
    const { all, own } = await scopeStats(pooledRun(this.pool), unique, scope, family);
    this.remember(scope, all);
    const shape = (c: Counts): { chunks: number; df: Map<string, number> } => ({ chunks: c.n, df: new Map(unique.map((t) => [t, c.df.get(t) ?? 0])) });
    return family ? { ...shape(own), all: shape(all) } : shape(all);
  }

  /** Keeps `counts` of `scope` for later searches (merged with what is known when they are of the same totals). */
  private remember(scope: string[] | null, counts: Counts): Counts {
    const key = JSON.stringify(scope);
    const known = this.recent.get(key);
    if (known && known.n === counts.n && known.tokens === counts.tokens && known.df.size < REMEMBERED_TERMS) {
      for (const [t, df] of counts.df) known.df.set(t, df);
      return counts;
    }
    this.recent.delete(key);
    if (this.recent.size >= REMEMBERED_SCOPES) this.recent.delete(this.recent.keys().next().value!);
    this.recent.set(key, { n: counts.n, tokens: counts.tokens, df: new Map(counts.df) });
    return counts;
  }

  /** What is known of `terms` in `scope` (a copy), when it names them all. */
  private recall(scope: string[] | null, terms: readonly string[]): Counts | undefined {
    const known = this.recent.get(JSON.stringify(scope));
    if (!known || !terms.every((t) => known.df.has(t))) return undefined;
    return { n: known.n, tokens: known.tokens, df: new Map(terms.map((t) => [t, known.df.get(t)!])) };
  }

  /** How many of the terms (rarest first) the first round takes: those within the postings budget, at least one. */
  private firstCut(q: Query, stats: Counts): number {
    let sum = 0;
    let n = 0;
    for (const t of q.terms) {
      sum += stats.df.get(t)!;
      if (n > 0 && sum > this.postingsBudget) break;
      n++;
    }
    return n;
  }

  /**
   * One MaxScore round with the first `cut` terms essential, adding the chunks it completes to `done`: "exact" when
   * the best k of `done` are the exact top k, else the next cut. With `checked` (statistics read in another
   * snapshot), "stale" when they no longer hold.
   */
  private async round(run: Run, q: Query, cut: number, done: Done, checked?: { terms: string[]; counts: Counts }): Promise<"exact" | "stale" | number> {
    const essential = q.terms.slice(0, cut);
    const rest = q.terms.slice(cut);
    const idf = (t: string): number => q.idf.get(t)!;
    const bound = rest.reduce((s, t) => s + idf(t) * (K1 + 1), 0);
    // Complete the best few candidates first (θ), then only those θ cannot rule out, unless they are so many that a
    // larger essential set (what θ proves necessary) is cheaper.
    const first = 2 * q.k + 10;
    const labels = [...done.keys()];
    const { text, values } = numbered(roundSql(rest.length > 0, checked !== undefined), {
      terms: essential, idf: essential.map(idf), wt: this.weights.title, wb: this.weights.body, avgdl: q.avgdl, scope: q.scope,
      rest, restIdf: rest.map(idf), first, k: q.k, bound, done: labels, doneScores: labels.map((l) => done.get(l)!.score), most: 4 * first,
      ...(checked ? { checkTerms: checked.terms, checkDf: checked.terms.map((t) => checked.counts.df.get(t) ?? 0), checkN: checked.counts.n, checkTokens: checked.counts.tokens } : {}),
    }, q.filter);
    const rows = await run<RoundRow>(text, values);
    if (!rows.some((r) => r.kind === "ok")) return "stale";
    for (const r of rows) if (r.kind === "d") done.set(r.label!, { id: r.id!, score: r.score! });
    const theta = kth([...done.values()].map((d) => d.score), q.k);
    // Chunks without an essential term score below the bound: exact once θ reaches it (always when rest is empty).
    const grow = rows.some((r) => r.kind === "g");
    if (!grow && (rest.length === 0 || (done.size >= q.k && bound <= theta))) return "exact";
    return Math.max(cut + 1, necessaryCut(q, theta));
  }

  private async snapshot<T>(fn: (run: Run) => Promise<T>): Promise<T> {
    // Statistics and scores from one snapshot, so a concurrent write never mixes two states into one ranking.
    const on = (client: pg.PoolClient): Run => async <R extends pg.QueryResultRow>(sql: string, params: unknown[]) => (await client.query<R>(sql, params)).rows;
    return inTransaction(this.pool, (client) => fn(on(client)), "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  }
}

/** Statements on pooled connections, each in its own snapshot. */
function pooledRun(pool: pg.Pool): Run {
  return async <R extends pg.QueryResultRow>(sql: string, params: unknown[]) => (await poolQuery<R>(pool, sql, params)).rows;
}

/** The search's query-wide values, or undefined when no chunk in scope holds any of the terms. */
function queryOf(unique: readonly string[], k: number, stats: Counts, scope: string[] | null, filter: ChunkFilter | undefined): Query | undefined {
  const live = unique.filter((t) => (stats.df.get(t) ?? 0) > 0).sort((a, b) => stats.df.get(a)! - stats.df.get(b)! || (a < b ? -1 : 1));
  if (live.length === 0 || stats.n === 0) return undefined;
  const idf = new Map(live.map((t) => [t, idfOf(stats.n, stats.df.get(t)!)]));
  return { terms: live, idf, k: Math.floor(k), avgdl: stats.tokens / stats.n, scope, filter };
}

/** The best k completed chunks, best first (ties by chunk key). */
function ranked(done: Done, k: number): KeywordHit[] {
  return [...done.values()].map((d) => ({ chunkId: d.id, score: d.score }))
    .sort((a, b) => b.score - a.score || (a.chunkId < b.chunkId ? -1 : a.chunkId > b.chunkId ? 1 : 0))
    .slice(0, k);
}

/** The fewest leading terms that must be essential for the others' bound sum to be ≤ θ. */
function necessaryCut(q: Query, theta: number): number {
  let bound = 0;
  for (let i = q.terms.length - 1; i >= 0; i--) {
    bound += q.idf.get(q.terms[i]!)! * (K1 + 1);
    if (bound > theta) return i + 1;
  }
  return 0;
}

/** The k-th largest score (0 when there are fewer). */
function kth(scores: number[], k: number): number {
  if (scores.length < k) return 0;
  return scores.sort((a, b) => b - a)[k - 1]!;
}

/**
 * The statistics of `terms` over the collections in scope in one statement; with `family`, also over that family's
 * chunks (and those without a language), counted only where the scope holds the other family.
 */
async function scopeStats(run: Run, terms: string[], scope: string[] | null, family?: ScriptFamily): Promise<ScopeStats> {
  const rows = await run<StatsRow>(statsSql(family), [terms, scope]);
  const head = rows[0];
  const counts = (n: number, tokens: number, df: (r: StatsRow) => number | null): Counts => ({ n, tokens, df: new Map(rows.map((r) => [r.term ?? "", df(r) ?? 0])) });
  const all = counts(head?.n ?? 0, head?.tokens ?? 0, (r) => r.df);
  if (!family || !head || !(head.other_n > 0)) return { all, own: all, mixed: false };
  return { all, own: counts(head.n - head.other_n, head.tokens - head.other_tokens, (r) => r.family_df), mixed: true };
}

/** The filter without its script family (undefined stays undefined). */
function withoutFamily(filter: ChunkFilter | undefined): ChunkFilter | undefined {
  if (!filter) return undefined;
  const { scriptFamily: _family, ...rest } = filter;
  return rest;
}

/** FTS5's IDF, floored at IDF_FLOOR. */
function idfOf(n: number, df: number): number {
  const raw = Math.log((n - df + 0.5) / (df + 0.5));
  return raw > 0 ? raw : IDF_FLOOR;
}

/** The collections that scope statistics, or null for every collection (an empty list constrains nothing). */
function scopeOf(collections: readonly string[] | undefined): string[] | null {
  return collections && collections.length > 0 ? [...collections] : null;
}
