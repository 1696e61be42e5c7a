// PostgreSQL-specific behaviour of the store beyond the shared conformance suites: migrations by exactly one
// process (and what migrations 3-5 do to older data), change-log order under concurrent writers, and what it
// refuses.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { PgAnalyticsStore } from "../../src/adapters/pg-analytics.js";
import { openPgStore, type PgDocumentStore } from "../../src/adapters/pg-store.js";
import { PG_SCHEMA_VERSION } from "../../src/adapters/pg-schema.js";
import { scriptFamily } from "../../src/text/language.js";
import { repoInput, repoRecord } from "./document-repository.conformance.js";
import { TEST_DATABASE_URL, dropSchema } from "./pg-harness.js";

describe("PostgreSQL store", () => {
  const schemas: string[] = [];
  const stores: PgDocumentStore[] = [];
  const newSchema = (): string => {
    const s = `gl_test_${process.pid}_${randomBytes(6).toString("hex")}`;
    schemas.push(s);
    return s;
  };
  const open = async (schema: string): Promise<PgDocumentStore> => {
    const store = await openPgStore({ connectionString: TEST_DATABASE_URL, schema, max: 3 });
    stores.push(store);
    return store;
  };
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    for (const s of schemas.splice(0)) await dropSchema(s);
  });

  async function query<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      return (await client.query<R>(sql, params)).rows;
    } finally {
      await client.end();
    }
  }

  it("migrates a new schema exactly once when several processes open it at once", async () => {
    const schema = newSchema();
    const opened = await Promise.all([open(schema), open(schema), open(schema), open(schema)]);
    expect(opened).toHaveLength(4);
    const rows = await query<{ version: number }>(`SELECT version FROM "${schema}".schema_migrations ORDER BY version`);
    expect(rows.map((r) => r.version)).toEqual(Array.from({ length: PG_SCHEMA_VERSION }, (_, i) => i + 1));
    await opened[0]!.replaceDocument(repoRecord("a"), [repoInput("a", 0, "router reset")]);
    expect((await opened[3]!.getDocument("default", "a"))?.chunkCount).toBe(1);
  });

  it("refuses a schema written by a newer build and a schema name that is not a plain identifier", async () => {
    const schema = newSchema();
    await (await open(schema)).close();
    stores.splice(0);
    await query(`INSERT INTO "${schema}".schema_migrations (version) VALUES ($1)`, [PG_SCHEMA_VERSION + 1]);
    await expect(open(schema)).rejects.toThrow(/newer than this build/);
    await expect(open('x"; DROP SCHEMA public; --')).rejects.toThrow(/lower-case letters/);
  });

  /** Takes a schema back to version 4 (what migration 5 changed, as version 4 had it, but for its statement triggers' bodies). */
  const UNDO_V5 = `DROP TRIGGER chunks_restated ON chunks; DROP FUNCTION chunks_restated();
    CREATE TRIGGER chunks_length AFTER UPDATE OF length ON chunks FOR EACH ROW
      WHEN (OLD.length IS DISTINCT FROM NEW.length) EXECUTE FUNCTION chunks_logged();
    ALTER TABLE collection_stats DROP COLUMN cjk_chunks, DROP COLUMN cjk_tokens, DROP COLUMN alphabetic_chunks, DROP COLUMN alphabetic_tokens;
    DROP FUNCTION chunk_script_class(text);
    DELETE FROM schema_migrations WHERE version = 5;`;

  /** Takes a schema back to version 3 (what migrations 4 and 5 changed, as version 3 had it). */
  const UNDO_V4 = `${UNDO_V5} DROP TABLE term_stats;
    DROP TRIGGER chunks_inserted ON chunks; DROP TRIGGER chunks_deleted ON chunks;
    DROP FUNCTION chunks_inserted(); DROP FUNCTION chunks_deleted();
    ALTER TABLE postings DROP CONSTRAINT postings_pkey; ALTER TABLE postings ADD PRIMARY KEY (term, collection, label);
    CREATE INDEX postings_label ON postings (label);
    CREATE TRIGGER chunks_insert_delete AFTER INSERT OR DELETE ON chunks FOR EACH ROW EXECUTE FUNCTION chunks_logged();
    DELETE FROM schema_migrations WHERE version = 4;`;

  it("migration 4 counts the terms' chunk frequencies of a version-3 store, and its writes keep them", async () => {
    const schema = newSchema();
    const before = await open(schema);
    await before.replaceDocument(repoRecord("a"), [repoInput("a", 0, "router reset"), repoInput("a", 1, "router lights blink")]);
    await before.replaceDocument(repoRecord("b"), [repoInput("b", 0, "reset the modem")]);
    await query(`SET search_path = "${schema}"; ${UNDO_V4}`);
    const store = await open(schema);
    const df = async (): Promise<Record<string, number>> => Object.fromEntries((await query<{ term: string; df: string }>(
      `SELECT term, df FROM "${schema}".term_stats WHERE df > 0 ORDER BY term`)).map((r) => [r.term, Number(r.df)]));
    const counted = async (): Promise<Record<string, number>> => Object.fromEntries((await query<{ term: string; n: string }>(
      `SELECT term, count(*) AS n FROM "${schema}".postings GROUP BY term ORDER BY term`)).map((r) => [r.term, Number(r.n)]));
    expect((await df()).router).toBe(2);
    expect(await df()).toEqual(await counted());
    await store.replaceDocument(repoRecord("a"), [repoInput("a", 0, "modem lights")]);
    await store.deleteDocument("default", "b");
    expect((await df()).router).toBeUndefined();
    expect(await df()).toEqual(await counted());
    expect((await store.keywordIndex.search(["lights"], 5)).map((h) => h.chunkId)).toHaveLength(1);
  });

  it("migration 5 counts each collection's chunks and terms per script family of an older store, and its writes keep them", async () => {
    const schema = newSchema();
    const other = { collection: "other" };
    const before = await open(schema);
    await before.replaceDocument(repoRecord("a"), [
      repoInput("a", 0, "router reset", { language: "en" }), repoInput("a", 1, "路由器 重置 指南", { language: "zh-CN" }), repoInput("a", 2, "no language here"),
    ]);
    await before.replaceDocument(repoRecord("b", other), [repoInput("b", 0, "モデム ランプ", { ...other, language: "ja" })]);
    await query(`SET search_path = "${schema}"; ${UNDO_V4}`);
    const store = await open(schema);
    const NAMES = ["chunks", "tokens", "cjk_chunks", "cjk_tokens", "alphabetic_chunks", "alphabetic_tokens"] as const;
    const kept = async (): Promise<Record<string, number[]>> => Object.fromEntries((await query<Record<string, string>>(
      `SELECT * FROM "${schema}".collection_stats WHERE chunks > 0 ORDER BY collection`)).map((r) => [r.collection!, NAMES.map((n) => Number(r[n]))]));
    // The same figures from the chunks themselves, each language classed by the engine's own rule.
    const counted = async (): Promise<Record<string, number[]>> => {
      const out: Record<string, number[]> = {};
      for (const c of await query<{ collection: string; language: string | null; length: number }>(`SELECT collection, language, length FROM "${schema}".chunks`)) {
        const f = out[c.collection] ??= [0, 0, 0, 0, 0, 0];
        const at = c.language === null ? -1 : scriptFamily(c.language) === "cjk" ? 2 : 4;
        f[0]! += 1; f[1]! += c.length;
        if (at > 0) { f[at]! += 1; f[at + 1]! += c.length; }
      }
      return out;
    };
    expect(await kept()).toEqual({ default: [3, 11, 1, 4, 1, 3], other: [1, 3, 1, 3, 0, 0] });
    expect(await kept()).toEqual(await counted());
    // A kept chunk changes language (en → ja) and terms (length), a chunk goes, one comes; another collection goes.
    await store.replaceDocument(repoRecord("a", { contentHash: "h-a2" }), [
      repoInput("a", 0, "router reset", { language: "ja", titleTokens: ["intro", "reset"] }), repoInput("a", 2, "no language here"),
      repoInput("a", 3, "새 문서", { language: "ko" }),
    ]);
    await store.deleteDocument("other", "b");
    expect(await kept()).toEqual({ default: [3, 11, 2, 7, 0, 0] });
    expect(await kept()).toEqual(await counted());
    // The alphabetic statistics of a collection now holding CJK chunks: only the chunk without a language counts.
    const { all: _all, ...alphabetic } = await store.keywordIndex.stats(["router"], ["default"], "alphabetic");
    expect(alphabetic).toEqual({ chunks: 1, df: new Map([["router", 0]]) });
  });

  it("migration 3 makes the corrections recorded before it open proposals; bare ratings stay ratings", async () => {
    const schema = newSchema();
    await (await open(schema)).close();
    stores.splice(0);
    // Back to version 2 (what migrations 3 and 4 add removed), with a correction and a rating in it.
    await query(`SET search_path = "${schema}"; ${UNDO_V4}
      ALTER TABLE served DROP COLUMN answer;
      ALTER TABLE feedback DROP COLUMN review_state, DROP COLUMN reviewed_by, DROP COLUMN reviewed_at, DROP COLUMN curated_id;
      ALTER TABLE curated_versions DROP COLUMN proposed_by;
      DELETE FROM schema_migrations WHERE version = 3;
      INSERT INTO served (id, kind, question, outcome, confidence, key_name, created_at) VALUES ('old', 'answer', 'old question', 'refused', 0.1, 'bot', '2026-01-01T00:00:00.000Z');
      INSERT INTO feedback (answer_id, rating, corrected_answer, key_name, created_at) VALUES ('old', 'down', 'Old fix.', 'bot', '2026-01-01T00:01:00.000Z');
      INSERT INTO feedback (answer_id, rating, created_at) VALUES ('old', 'up', '2026-01-01T00:02:00.000Z');`);
    const store = await open(schema);
    expect((await new PgAnalyticsStore(store.pool).proposals({ limit: 10, offset: 0 })).items).toEqual([
      { id: 1, answerId: "old", question: "old question", correctedAnswer: "Old fix.", proposedBy: "bot", state: "open", createdAt: "2026-01-01T00:01:00.000Z" },
    ]);
  });

  it("commits change-log entries in sequence order under concurrent writers, so a follower never skips one", async () => {
    const schema = newSchema();
    const [w1, w2, follower] = [await open(schema), await open(schema), await open(schema)];
    const seen: number[] = [];
    let done = false;
    const follow = (async () => {
      let last = 0;
      while (!done) {
        const batch = await follower.since(last, 1000);
        for (const c of batch) seen.push(c.seq);
        if (batch.length > 0) last = batch[batch.length - 1]!.seq;
      }
      for (const c of await follower.since(last, 100_000)) seen.push(c.seq);
    })();
    const writes = (store: PgDocumentStore, prefix: string): Promise<unknown> => Promise.all(Array.from({ length: 40 }, (_, i) =>
      store.replaceDocument(repoRecord(`${prefix}${i}`), [repoInput(`${prefix}${i}`, 0, `${prefix} text ${i}`), repoInput(`${prefix}${i}`, 1, `more ${i}`)])));
    await Promise.all([writes(w1, "a"), writes(w2, "b")]);
    done = true;
    await follow;
    const all = (await follower.since(0, 100_000)).map((c) => c.seq);
    expect(all).toHaveLength(160);
    expect(seen).toEqual(all);
  });

  it("keeps working when the server drops its connections (idle ones included)", async () => {
    const schema = newSchema();
    const store = await open(schema);
    await store.replaceDocument(repoRecord("a"), [repoInput("a", 0, "router reset")]);
    await Promise.all([store.getDocument("default", "a"), store.lastSeq(), store.countDocuments()]);
    const killed = await query<{ ok: boolean }>("SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = $1", [`groundline:${schema}`]);
    expect(killed.length).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 200));
    // A query may land on a connection the pool has not noticed yet: it fails, the next one gets a new connection.
    let doc = await store.getDocument("default", "a").catch(() => undefined);
    for (let i = 0; i < 5 && !doc; i++) doc = await store.getDocument("default", "a").catch(() => undefined);
    expect(doc?.chunkCount).toBe(1);
    expect(await store.replaceDocument(repoRecord("b"), [repoInput("b", 0, "router power")])).toEqual({ added: 1, removed: 0, kept: 0 });
  });

  it("points backups to PostgreSQL's own tools", async () => {
    const store = await open(newSchema());
    await expect(store.backup("/tmp/x.db")).rejects.toThrow(/pg_dump/);
  });
});
