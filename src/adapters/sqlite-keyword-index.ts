import type Database from "better-sqlite3";
import type { ChunkFilter, ScriptFamily } from "../domain/chunk.js";
import type { KeywordHit, KeywordIndex, KeywordStats } from "../ports/keyword-index.js";
import { DfCache, type Bm25Hit, type FtsBm25, type FtsTotals } from "./sqlite-bm25.js";
import { chunkFilterSql } from "./sqlite-filters.js";
import { scriptFamilySql } from "./script-family-sql.js";

type Stmt = (sql: string) => Database.Statement;

/** Distinct collection sets whose term frequencies are cached (a handful are live at once). */
const MAX_SCOPES = 16;

/**
 * The statistics of a set of collections that does not cover every collection holding chunks, or of one script
 * family's chunks in collections that hold the other family's too.
 */
interface Scope {
  key: string;
  /** Empty: every collection. */
  collections: string[];
  family?: ScriptFamily;
  totals: FtsTotals;
}

/**
 * The keyword index over the store's FTS5 table. Statistics are scoped to the collections a query covers: when
 * they cover every collection holding chunks, FTS5's own bm25() ranks (whole-table statistics are then exactly the
 * scope's, and nothing changes for a single-collection store); otherwise the chunk count and token total come from
 * `collection_stats` (kept by triggers) and per-term chunk counts are counted within the scope (cached per data
 * version), and FTS5 only supplies candidates (see `FtsBm25.searchScoped`).
 */
export class SqliteKeywordIndex implements KeywordIndex {
  private statsCache: { version: string; rows: Array<{ collection: string; chunks: number; terms: number }> } | undefined;
  private readonly scopedDf = new Map<string, DfCache>();
  private readonly familyScopes = new Map<string, { version: string; scope: Scope | undefined }>();

  constructor(private readonly stmt: Stmt, private readonly bm25: FtsBm25, private readonly dataVersion: () => string) {}

  async search(terms: readonly string[], k: number, filter?: ChunkFilter): Promise<KeywordHit[]> {
    const unique = [...new Set(terms.filter((t) => t.length > 0))];
    if (unique.length === 0 || k <= 0) return [];
    const version = this.dataVersion();
    const where = chunkFilterSql(filter, "c");
    const family = filter?.scriptFamily;
    const scope = (family ? this.familyScope(filter?.collections, family, version) : undefined) ?? this.scope(filter?.collections, version);
    const hits = scope
      ? this.bm25.searchScoped(unique, Math.floor(k), where, { totals: scope.totals, df: this.dfIn(scope, version) })
      : this.bm25.search(unique, Math.floor(k), where, version);
    return this.withKeys(hits);
  }

  async stats(terms: readonly string[], collections?: readonly string[], family?: ScriptFamily): Promise<KeywordStats> {
    const all = this.scopeStats(terms, collections);
    if (!family) return all;
    const scope = this.familyScope(collections, family, this.dataVersion());
    return scope ? { ...this.dfOver(scope, terms), all } : { ...all, all };
  }

  /** Chunk count and df of `terms` over one scope. */
  private dfOver(scope: Scope, terms: readonly string[]): { chunks: number; df: Map<string, number> } {
    const dfOf = this.dfIn(scope, this.dataVersion());
    return { chunks: scope.totals.rows, df: new Map([...new Set(terms)].map((t) => [t, dfOf(t)])) };
  }

  /** Statistics over every chunk of `collections`. */
  private scopeStats(terms: readonly string[], collections: readonly string[] | undefined): KeywordStats {
    const version = this.dataVersion();
    const scope = this.scope(collections, version);
    const df = new Map<string, number>();
    if (scope) {
      const dfOf = this.dfIn(scope, version);
      for (const term of new Set(terms)) df.set(term, dfOf(term));
      return { chunks: scope.totals.rows, df };
    }
    const chunks = this.collectionStats(version).reduce((n, r) => n + r.chunks, 0);
    for (const term of new Set(terms)) df.set(term, this.bm25.exactDf(term, version, chunks));
    return { chunks, df };
  }

  /** Undefined when `collections` covers every collection holding chunks (whole-table statistics are the scope's). */
  private scope(collections: readonly string[] | undefined, version: string): Scope | undefined {
    if (!collections || collections.length === 0) return undefined;
    const wanted = new Set(collections);
    const rows = this.collectionStats(version);
    if (rows.every((r) => wanted.has(r.collection))) return undefined;
    const inScope = rows.filter((r) => wanted.has(r.collection));
    const sorted = [...wanted].sort();
    return {
      key: JSON.stringify(sorted),
      collections: sorted,
      totals: { rows: inScope.reduce((n, r) => n + r.chunks, 0), tokens: inScope.reduce((n, r) => n + r.terms, 0) },
    };
  }

  /**
   * The chunks of script family `family` (or without a language) in `collections`, or undefined when every chunk there
   * is (their statistics are then the collections' own). Counted once per data version.
   */
  private familyScope(collections: readonly string[] | undefined, family: ScriptFamily, version: string): Scope | undefined {
    const sorted = [...new Set(collections ?? [])].sort();
    const key = JSON.stringify([sorted, family]);
    const cached = this.familyScopes.get(key);
    if (cached?.version === version) return cached.scope;
    const inCollections = sorted.length > 0 ? "c.collection IN (SELECT value FROM json_each(?))" : "1";
    const count = (where: string) => this.stmt(`SELECT count(*) AS rows, coalesce(sum(c.terms), 0) AS tokens FROM chunks c WHERE ${inCollections} AND ${where}`)
      .get(...(sorted.length > 0 ? [JSON.stringify(sorted)] : [])) as FtsTotals;
    const totals = count(scriptFamilySql("c.language", family));
    const scope = totals.rows < count("1").rows ? { key, collections: sorted, family, totals } : undefined;
    if (this.familyScopes.size >= MAX_SCOPES) this.familyScopes.delete(this.familyScopes.keys().next().value!);
    this.familyScopes.set(key, { version, scope });
    return scope;
  }

  private collectionStats(version: string): Array<{ collection: string; chunks: number; terms: number }> {
    if (this.statsCache?.version !== version) {
      const rows = this.stmt("SELECT collection, chunks, terms FROM collection_stats WHERE chunks > 0").all() as Array<{ collection: string; chunks: number; terms: number }>;
      this.statsCache = { version, rows };
    }
    return this.statsCache.rows;
  }

  /** Exact chunk frequency of a term within the scope, cached per data version. */
  private dfIn(scope: Scope, version: string): (term: string) => number {
    let cache = this.scopedDf.get(scope.key);
    if (!cache) {
      const inCollections = scope.collections.length > 0 ? "c.collection IN (SELECT value FROM json_each(?))" : "1";
      const inFamily = scope.family ? scriptFamilySql("c.language", scope.family) : "1";
      const count = this.stmt(`SELECT count(*) FROM chunks_fts JOIN chunks c ON c.label = chunks_fts.rowid
        WHERE chunks_fts MATCH ? AND ${inCollections} AND ${inFamily}`).pluck();
      const collections = scope.collections.length > 0 ? [JSON.stringify(scope.collections)] : [];
      cache = new DfCache((term) => count.get(`"${term.replaceAll('"', '""')}"`, ...collections) as number);
      if (this.scopedDf.size >= MAX_SCOPES) this.scopedDf.delete(this.scopedDf.keys().next().value!);
      this.scopedDf.set(scope.key, cache);
    }
    const dfCache = cache;
    return (term) => dfCache.exact(term, version, scope.totals.rows);
  }

  /** The hits with their chunk keys, in the same order (a chunk deleted meanwhile is dropped). */
  private withKeys(hits: readonly Bm25Hit[]): KeywordHit[] {
    if (hits.length === 0) return [];
    const rows = this.stmt("SELECT label, id FROM chunks WHERE label IN (SELECT value FROM json_each(?))")
      .all(JSON.stringify(hits.map((h) => h.label))) as Array<{ label: number; id: string }>;
    const ids = new Map(rows.map((r) => [r.label, r.id]));
    return hits.flatMap((h) => {
      const chunkId = ids.get(h.label);
      return chunkId === undefined ? [] : [{ chunkId, score: h.score }];
    });
  }
}
