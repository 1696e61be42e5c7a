import pg from "pg";
import { AppError, InvalidInputError } from "../errors.js";
import { PROPOSALS_MIGRATION, STATE_MIGRATION } from "./pg-state-schema.js";
import { FAST_WRITES_MIGRATION } from "./pg-store-migration-v4.js";
import { SCRIPT_FAMILY_MIGRATION } from "./pg-store-migration-v5.js";

/**
 * Schema of the PostgreSQL store, inside one schema named by the caller (every connection of the pool has it as its
 * search_path, so the SQL below is unqualified). Text keys use the "C" collation so listings sort byte-wise, as the
 * SQLite store does. Vectors are Float32 little-endian `bytea` (the SQLite BLOB format, see vector-codec.ts); the
 * analyzer terms of each chunk are kept as `text[]` and as postings for BM25.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE documents (
    collection text COLLATE "C" NOT NULL,
    id text COLLATE "C" NOT NULL,
    title text NOT NULL,
    source_type text NOT NULL,
    format text NOT NULL,
    product text,
    language text,
    url text,
    source_path text COLLATE "C",
    pages integer,
    ticket text,
    redactions integer,
    content_hash text NOT NULL,
    chunk_count integer NOT NULL DEFAULT 0,
    status text NOT NULL CHECK (status IN ('ready', 'processing', 'failed')),
    last_error text,
    created_at text NOT NULL,
    updated_at text NOT NULL,
    PRIMARY KEY (collection, id)
  );
  CREATE INDEX documents_id ON documents (id);
  CREATE INDEX documents_source_path ON documents (source_path);

  -- label: internal row key (postings); never reused, like the SQLite AUTOINCREMENT label.
  CREATE TABLE chunks (
    label bigserial PRIMARY KEY,
    id text COLLATE "C" NOT NULL UNIQUE,
    collection text COLLATE "C" NOT NULL,
    document_id text COLLATE "C" NOT NULL,
    title text NOT NULL,
    section_path text NOT NULL,
    page_start integer,
    page_end integer,
    page_label text,
    block_kind text,
    position integer NOT NULL,
    text text NOT NULL,
    content_hash text NOT NULL,
    token_count integer NOT NULL,
    source_type text NOT NULL,
    product text,
    language text,
    url text,
    vector bytea NOT NULL,
    title_tokens text[] NOT NULL,
    body_tokens text[] NOT NULL,
    -- Analyzer terms of both fields: the BM25 document length.
    length integer NOT NULL,
    FOREIGN KEY (collection, document_id) REFERENCES documents (collection, id) ON DELETE CASCADE
  );
  CREATE INDEX chunks_document ON chunks (collection, document_id, position);

  -- One row per (term, chunk): term frequency in each field. collection and the chunk's length are denormalised so
  -- per-collection chunk frequencies are an index-only count and scoring reads no chunk row. No foreign key (a
  -- per-row check on the largest table): the chunk delete trigger removes a chunk's postings.
  CREATE TABLE postings (
    term text COLLATE "C" NOT NULL,
    collection text COLLATE "C" NOT NULL,
    label bigint NOT NULL,
    title_tf integer NOT NULL,
    body_tf integer NOT NULL,
    length integer NOT NULL,
    PRIMARY KEY (term, collection, label)
  );
  CREATE INDEX postings_label ON postings (label);

  -- Chunks and analyzer terms per collection (BM25's N and average length over any set of collections).
  CREATE TABLE collection_stats (
    collection text COLLATE "C" PRIMARY KEY,
    chunks bigint NOT NULL,
    tokens bigint NOT NULL
  );

  CREATE TABLE changes (
    seq bigserial PRIMARY KEY,
    op text NOT NULL CHECK (op IN ('add', 'delete')),
    chunk_id text NOT NULL
  );

  CREATE TABLE audit (
    seq bigserial PRIMARY KEY,
    at text NOT NULL,
    key_name text NOT NULL,
    action text NOT NULL CHECK (action IN ('replace', 'delete', 'cancel')),
    collection text NOT NULL,
    document_id text NOT NULL,
    request_id text,
    count integer
  );
  CREATE INDEX audit_collection ON audit (collection, seq);

  CREATE TABLE meta (key text PRIMARY KEY, value text NOT NULL);

  -- Triggers keep the change log and the statistics right for every chunk insert and delete, cascades included.
  -- They run with the writing session's search_path (this schema).
  CREATE FUNCTION chunks_logged() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'INSERT' THEN
      INSERT INTO changes (op, chunk_id) VALUES ('add', NEW.id);
      INSERT INTO collection_stats AS s (collection, chunks, tokens) VALUES (NEW.collection, 1, NEW.length)
        ON CONFLICT (collection) DO UPDATE SET chunks = s.chunks + 1, tokens = s.tokens + excluded.tokens;
    ELSIF TG_OP = 'DELETE' THEN
      INSERT INTO changes (op, chunk_id) VALUES ('delete', OLD.id);
      DELETE FROM postings WHERE label = OLD.label;
      UPDATE collection_stats SET chunks = chunks - 1, tokens = tokens - OLD.length WHERE collection = OLD.collection;
    ELSE
      UPDATE collection_stats SET tokens = tokens + NEW.length - OLD.length WHERE collection = NEW.collection;
    END IF;
    RETURN NULL;
  END $$;
  CREATE TRIGGER chunks_insert_delete AFTER INSERT OR DELETE ON chunks FOR EACH ROW EXECUTE FUNCTION chunks_logged();
  CREATE TRIGGER chunks_length AFTER UPDATE OF length ON chunks FOR EACH ROW
    WHEN (OLD.length IS DISTINCT FROM NEW.length) EXECUTE FUNCTION chunks_logged();
  `,
  // 2: uploads, job ledger, curated answers, analytics and shared leases (everything another machine needs).
  STATE_MIGRATION,
  // 3: /feedback corrections as proposals to review, and the proposer of a curated version.
  PROPOSALS_MIGRATION,
  // 4: per-term chunk frequencies, statement-level triggers, index-only postings (fast bulk writes and BM25 at scale).
  FAST_WRITES_MIGRATION,
  // 5: chunks and terms per script family in collection_stats (one family's statistics only where the scope is mixed).
  SCRIPT_FAMILY_MIGRATION,
];

/** Schema version this build writes and understands. */
export const PG_SCHEMA_VERSION = MIGRATIONS.length;

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The schema name, checked (it is spliced into SQL and connection options, so only plain identifiers). */
export function checkSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) throw new InvalidInputError(`PostgreSQL schema '${schema}': use lower-case letters, digits and '_' (at most 63)`);
  return schema;
}

/** No statement of the store takes near this long (the slowest, BM25 over common terms at 100k, ~0.6 s). */
const QUERY_TIMEOUT_MS = 60_000;

export interface PgPoolOptions {
  connectionString: string;
  schema: string;
  /** Upper bound of open connections (default 10). */
  max?: number;
}

/**
 * A bounded pool whose connections all work inside `schema` (named `groundline:<schema>` in pg_stat_activity). An
 * idle connection that breaks (server restart, terminated backend) is dropped by the pool, which then emits
 * "error": without a listener that event would crash the process, and the next query opens a new connection anyway.
 */
export function createPool(options: PgPoolOptions, onIdleError: (err: Error) => void = () => undefined): pg.Pool {
  const schema = checkSchemaName(options.schema);
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
    // A network that drops packets instead of resetting (no RST) must not hold a query, and the job or request
    // behind it, forever: TCP keepalive notices the dead peer, the client-side timeout bounds what is left.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    query_timeout: QUERY_TIMEOUT_MS,
    application_name: `groundline:${schema}`,
    options: `-c search_path=${schema}`,
  });
  pool.on("error", onIdleError);
  return pool;
}

/** How long a checkout may take before it is given up: the pool's own connect timeout, plus a margin. */
const CONNECT_GIVE_UP_MS = 12_000;

/**
 * Checks a client out of the pool, giving up after `ms`. The pool's own connect timeout relies on the half-open
 * connection reporting its end; a connection cut during its start-up was seen to report nothing, leaving the
 * checkout (and the job or request behind it) waiting for ever. A client that arrives after the give-up goes back.
 */
export async function connectWithin(pool: pg.Pool, ms = CONNECT_GIVE_UP_MS): Promise<CheckedOut> {
  let timer: NodeJS.Timeout | undefined;
  let gaveUp = false;
  const pending = pool.connect();
  pending.then((client) => { if (gaveUp) client.release(); }, () => undefined);
  const giveUp = new Promise<never>((_, reject) => {
    timer = setTimeout(() => { gaveUp = true; reject(new Error(`timeout exceeded when trying to connect (no connection within ${ms} ms)`)); }, ms);
  });
  let client: pg.PoolClient;
  try {
    client = await Promise.race([pending, giveUp]);
  } finally {
    clearTimeout(timer);
  }
  // A checked-out client whose connection drops between statements emits "error"; unheard, that would crash the
  // process (pool.query listens the same way). The error is kept so the client is discarded, not reused.
  let lost: Error | undefined;
  const onError = (err: Error): void => { lost = err; };
  client.on("error", onError);
  return {
    client,
    release: (err) => {
      client.off("error", onError);
      client.release(err ?? lost);
    },
  };
}

/** A client checked out of the pool; `release` must be called once (with the error that broke it, if any). */
export interface CheckedOut {
  client: pg.PoolClient;
  release(err?: Error): void;
}

/** One statement on a client checked out with `connectWithin` (a failed one is discarded, as `pool.query` does). */
export async function poolQuery<R extends pg.QueryResultRow>(pool: pg.Pool, sql: string, params: unknown[] = []): Promise<pg.QueryResult<R>> {
  const { client, release } = await connectWithin(pool);
  let failed: Error | undefined;
  try {
    return await client.query<R>(sql, params);
  } catch (err) {
    failed = err instanceof Error ? err : new Error(String(err));
    throw err;
  } finally {
    release(failed);
  }
}

/**
 * Runs `fn` in one transaction on one pooled connection; rolls back (and discards a broken connection) on error.
 * `begin` chooses the transaction's kind (e.g. a read-only snapshot).
 */
export async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>, begin = "BEGIN"): Promise<T> {
  const { client, release } = await connectWithin(pool);
  let broken: Error | undefined;
  try {
    await client.query(begin);
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch((e: unknown) => { broken = e instanceof Error ? e : new Error(String(e)); });
    throw err;
  } finally {
    release(broken);
  }
}

/** Advisory-lock key of one purpose in one schema (locks are database-wide, so the schema is part of the key). */
export function lockKey(schema: string, purpose: "migrate" | "write"): string {
  return `groundline:${schema}:${purpose}`;
}

/**
 * Brings `schema` to PG_SCHEMA_VERSION. Every process may call it at start: the migrations run in one transaction
 * under a transaction-scoped advisory lock, and the applied versions are re-read under that lock, so exactly one
 * process applies each version and the others find them applied. A newer schema is refused, never touched.
 */
export async function migratePg(pool: pg.Pool, schema: string): Promise<void> {
  checkSchemaName(schema);
  await inTransaction(pool, async (client) => {
    await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [lockKey(schema, "migrate")]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ v: number }>("SELECT coalesce(max(version), 0)::int AS v FROM schema_migrations");
    const found = rows[0]?.v ?? 0;
    if (found > PG_SCHEMA_VERSION) {
      throw new AppError("store-schema-version", 500, `PostgreSQL schema '${schema}': store schema version ${found} is newer than this build; upgrade the application (this build supports version ${PG_SCHEMA_VERSION})`, {
        details: { schema, found, supported: PG_SCHEMA_VERSION },
      });
    }
    for (let v = found; v < PG_SCHEMA_VERSION; v++) {
      await client.query(MIGRATIONS[v]!);
      await client.query("INSERT INTO schema_migrations (version) VALUES ($1)", [v + 1]);
    }
  });
}

/** Drops `schema` and everything in it (benchmarks and tests that made a schema of their own). */
export async function dropPgSchema(connectionString: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${checkSchemaName(schema)}" CASCADE`);
  } finally {
    await client.end();
  }
}
