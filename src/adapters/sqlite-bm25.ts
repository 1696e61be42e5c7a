import type Database from "better-sqlite3";

/** A BM25 hit by FTS row id (the chunk's row label); the keyword index maps labels to chunk keys. */
export interface Bm25Hit {
  label: number;
  score: number;
}

/**
 * Keeping BM25 fast on large stores. FTS5 answers an OR query by scoring every row that contains any query term,
 * so one common term ("error", "settings", a digit) makes a query cost its whole posting list: ~50 ms at 100k
 * chunks. When the terms' posting lists add up to more than a budget, the store asks FTS5 only for the rarest
 * terms that fit the budget (the ones that decide BM25 rankings), takes a generous candidate list from that, and
 * re-scores the candidates here with every query term using FTS5's own bm25 formula. The result is exact BM25 over
 * the candidates; a chunk can only be missed if it contains none of the rare terms.
 */
export interface Bm25Tuning {
  /** Posting-list entries FTS5 may score per query before common terms are left to the re-scoring (default 4000). */
  postingsBudget: number;
  /** Candidates re-scored: max(minCandidates, candidateFactor × k) (defaults 160 and 4). */
  minCandidates: number;
  candidateFactor: number;
}

export const DEFAULT_BM25_TUNING: Bm25Tuning = { postingsBudget: 4000, minCandidates: 160, candidateFactor: 4 };

/** FTS5's bm25() constants. */
const K1 = 1.2;
const B = 0.75;

/** Row count and total token count of an FTS5 table, from its "averages" record (chunks_fts_data id 1). */
export interface FtsTotals {
  rows: number;
  tokens: number;
}

/**
 * Decodes FTS5's averages record: SQLite varints (big-endian, 7 bits per byte, high bit = more follows; a 9th byte
 * carries 8 bits): the row count, then the token total of each column.
 */
export function decodeAverages(block: Uint8Array): FtsTotals {
  const values: number[] = [];
  let i = 0;
  while (i < block.length) {
    let v = 0;
    let n = 0;
    for (;;) {
      const byte = block[i++]!;
      if (n === 8) { v = v * 256 + byte; break; }
      v = v * 128 + (byte & 0x7f);
      n++;
      if ((byte & 0x80) === 0 || i >= block.length) break;
    }
    values.push(v);
  }
  const [rows = 0, ...columns] = values;
  return { rows, tokens: columns.reduce((s, x) => s + x, 0) };
}

/**
 * The rarest terms whose posting lists fit `budget` (always at least the rarest one), or undefined when all terms
 * fit and FTS5 can score the full query itself.
 */
export function essentialTerms(terms: readonly string[], df: (term: string) => number, budget: number): string[] | undefined {
  const counts = terms.map((t) => ({ t, n: df(t) }));
  if (counts.reduce((s, c) => s + c.n, 0) <= budget) return undefined;
  counts.sort((a, b) => a.n - b.n);
  const keep: string[] = [];
  let sum = 0;
  for (const { t, n } of counts) {
    if (n === 0) continue;
    if (keep.length > 0 && sum + n > budget) break;
    keep.push(t);
    sum += n;
  }
  return keep;
}

export interface TokenRow {
  label: number;
  title_tokens: string | null;
  body_tokens: string | null;
}

/**
 * BM25 of each row for `terms`, as FTS5's bm25(chunks_fts, titleWeight, bodyWeight) computes it: per term, the
 * column-weighted frequency f, IDF = ln((N − n + 0.5) / (n + 0.5)) (at least 1e-6), document length D = tokens of
 * all columns, and score = Σ IDF · f·(k1+1) / (f + k1·(1 − b + b·D/avgdl)). Best first; rows matching nothing dropped.
 */
export function scoreRows(
  rows: readonly TokenRow[], terms: readonly string[], df: (term: string) => number, totals: FtsTotals, weights: { title: number; body: number },
): Bm25Hit[] {
  const unique = [...new Set(terms)];
  const idf = unique.map((t) => {
    const n = df(t);
    const v = Math.log((totals.rows - n + 0.5) / (n + 0.5));
    return v > 0 ? v : 1e-6;
  });
  const avgdl = totals.tokens / Math.max(1, totals.rows);
  const freq = new Float64Array(unique.length);
  const hits: Bm25Hit[] = [];
  for (const row of rows) {
    freq.fill(0);
    const length = count(row.title_tokens, unique, freq, weights.title) + count(row.body_tokens, unique, freq, weights.body);
    let score = 0;
    for (let i = 0; i < freq.length; i++) {
      const f = freq[i]!;
      if (f > 0) score += (idf[i]! * f * (K1 + 1)) / (f + K1 * (1 - B + (B * length) / avgdl));
    }
    if (score > 0) hits.push({ label: row.label, score });
  }
  return hits.sort((a, b) => b.score - a.score || a.label - b.label);
}

/**
 * Adds `weight` to `freq[i]` for each whole-token occurrence of `terms[i]` in the space-separated `text`; returns
 * its token count. indexOf scans instead of split(): no per-token strings (5× faster on 200 candidates).
 */
function count(text: string | null, terms: readonly string[], freq: Float64Array, weight: number): number {
  if (!text) return 0;
  for (let i = 0; i < terms.length; i++) {
    const term = terms[i]!;
    for (let from = 0; ;) {
      const at = text.indexOf(term, from);
      if (at < 0) break;
      const end = at + term.length;
      // A token starts after a space and ends before one; no token can start inside a failed match (no spaces there).
      if ((at === 0 || text.charCodeAt(at - 1) === 32) && (end === text.length || text.charCodeAt(end) === 32)) freq[i]! += weight;
      from = end;
    }
  }
  let tokens = 1;
  for (let p = text.indexOf(" "); p >= 0; p = text.indexOf(" ", p + 1)) tokens++;
  return tokens;
}

/**
 * Per-term chunk frequencies. FTS5 stores no document frequency: fts5vocab counts a term's whole posting list on
 * every lookup (~1 ms for a term in 30% of 100k chunks), so frequencies are cached. `exact` is valid only for the
 * data version it was read at; `approximate` (for choosing which terms FTS5 scores, and re-scoring weights) also
 * accepts an entry read while the table had within 1% of today's rows.
 */
export class DfCache {
  private readonly entries = new Map<string, { df: number; version: string; rows: number }>();

  constructor(private readonly lookup: (term: string) => number, private readonly maxEntries = 100_000) {}

  exact(term: string, version: string, rows: number): number {
    const e = this.entries.get(term);
    if (e && e.version === version) return e.df;
    return this.read(term, version, rows);
  }

  approximate(term: string, version: string, rows: number): number {
    const e = this.entries.get(term);
    if (e && (e.version === version || Math.abs(e.rows - rows) <= rows * 0.01)) return e.df;
    return this.read(term, version, rows);
  }

  private read(term: string, version: string, rows: number): number {
    const df = this.lookup(term);
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(term, { df, version, rows });
    return df;
  }
}

/** BM25 search over the store's `chunks_fts` table, with the re-scoring of common terms described above. */
export class FtsBm25 {
  private readonly expr: string;
  private readonly tuning: Bm25Tuning;
  private readonly dfCache: DfCache;
  private totalsCache: { version: string; totals: FtsTotals } | undefined;

  constructor(
    db: Database.Database,
    private readonly stmt: (sql: string) => Database.Statement,
    private readonly weights: { title: number; body: number },
    tuning: Partial<Bm25Tuning> = {},
  ) {
    this.expr = `bm25(chunks_fts, ${weights.title}, ${weights.body})`;
    this.tuning = { ...DEFAULT_BM25_TUNING, ...tuning };
    // FTS5 stores terms case-folded, as the tokenizer saw them.
    const vocab = db.prepare("SELECT doc FROM chunks_fts_vocab WHERE term = ?").pluck();
    this.dfCache = new DfCache((term) => (vocab.get(term.toLowerCase()) as number | undefined) ?? 0);
  }

  /** Chunks containing `term`, exact for data `version`. */
  exactDf(term: string, version: string, rows: number): number {
    return this.dfCache.exact(term, version, rows);
  }

  /**
   * BM25 with the statistics of some collections only (`scope`: their row and token totals, and exact per-term
   * chunk counts within them). FTS5's bm25() knows only whole-table statistics, so it only finds candidates — every
   * match when the terms' postings within the scope fit the budget, else the best by the rarest terms — and every
   * candidate is scored here with the scope's statistics. `filter` must restrict hits to the scope.
   */
  searchScoped(terms: readonly string[], k: number, filter: { clauses: string[]; params: string[] }, scope: { totals: FtsTotals; df: (term: string) => number }): Bm25Hit[] {
    const essential = essentialTerms(terms, scope.df, this.tuning.postingsBudget);
    const candidates = this.fts(essential ?? terms, essential ? Math.max(this.tuning.minCandidates, this.tuning.candidateFactor * k) : -1, filter);
    if (candidates.length === 0) return [];
    return scoreRows(this.tokenRows(candidates), terms.map((t) => t.toLowerCase()), scope.df, scope.totals, this.weights).slice(0, k);
  }

  private tokenRows(candidates: readonly Bm25Hit[]): TokenRow[] {
    return this.stmt("SELECT rowid AS label, title_tokens, body_tokens FROM chunks_fts WHERE rowid IN (SELECT value FROM json_each(?))")
      .all(JSON.stringify(candidates.map((h) => h.label))) as TokenRow[];
  }

  /** Best first; `filter` is a where-clause over `chunks c` (see sqlite-filters.ts). */
  search(terms: readonly string[], k: number, filter: { clauses: string[]; params: string[] }, version: string): Bm25Hit[] {
    const totals = this.totals(version);
    const df = (t: string): number => this.dfCache.approximate(t, version, totals.rows);
    const essential = essentialTerms(terms, df, this.tuning.postingsBudget);
    if (!essential) return this.fts(terms, k, filter);
    const candidates = this.fts(essential, Math.max(this.tuning.minCandidates, this.tuning.candidateFactor * k), filter);
    if (candidates.length === 0) return [];
    return scoreRows(this.tokenRows(candidates), terms.map((t) => t.toLowerCase()), df, totals, this.weights).slice(0, k);
  }

  private fts(terms: readonly string[], limit: number, filter: { clauses: string[]; params: string[] }): Bm25Hit[] {
    const match = terms.map((t) => `"${t.replaceAll('"', '""')}"`).join(" OR ");
    const sql = filter.clauses.length === 0
      ? `SELECT rowid AS label, ${this.expr} AS s FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY s LIMIT ?`
      : `SELECT c.label AS label, ${this.expr} AS s FROM chunks_fts JOIN chunks c ON c.label = chunks_fts.rowid
         WHERE chunks_fts MATCH ? AND ${filter.clauses.join(" AND ")} ORDER BY s LIMIT ?`;
    const rows = this.stmt(sql).all(match, ...filter.params, limit) as Array<{ label: number; s: number }>;
    return rows.map((r) => ({ label: r.label, score: -r.s }));
  }

  /** Row and token totals of the FTS index (its averages record), per data version. */
  totals(version: string): FtsTotals {
    if (this.totalsCache?.version !== version) {
      const block = this.stmt("SELECT block FROM chunks_fts_data WHERE id = 1").pluck().get() as Buffer | undefined;
      this.totalsCache = { version, totals: block ? decodeAverages(block) : { rows: 0, tokens: 0 } };
    }
    return this.totalsCache.totals;
  }
}
