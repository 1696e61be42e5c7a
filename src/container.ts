import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Config } from "./config.js";
import { EmbedderMismatchError } from "./errors.js";
import type { Embedder } from "./ports/embedder.js";
import type { DocumentRepository } from "./ports/document-repository.js";
import type { KeywordIndex } from "./ports/keyword-index.js";
import type { ChangeLog, ChangeNotices } from "./ports/change-log.js";
import type { IndexSync } from "./ports/index-sync.js";
import type { VectorIndex } from "./ports/vector-index.js";
import { LocalHashEmbedder } from "./adapters/local-embedder.js";
import { openSqliteStore } from "./adapters/sqlite-store.js";
import { createHnswIndexFactory } from "./adapters/hnsw-index.js";
import { createThreadedHnswIndexFactory } from "./adapters/hnsw-thread.js";
import { VectorCache } from "./index/vector-cache.js";
import { combineIndexSync } from "./index/combined-index-sync.js";
import { KeywordIndexFollower } from "./index/keyword-follower.js";
import { outageTolerantReads, withTermsInMemory, type ServingReads } from "./index/serving-reads.js";
import { MemoryKeywordIndex } from "./adapters/memory-keyword-index.js";
import { PIPELINE_VERSION, type IngestSettings, type TextRedactor } from "../ingest/pipeline.js";
import { createRedactor, parseRedactPatterns, type Redactor } from "./assist/redact.js";
import { createDocumentIds, type DocumentIds } from "./assist/document-ids.js";
import { loadIdSecret } from "./adapters/id-secret.js";
import type { SharedState } from "./ports/shared-state.js";
import { sqliteSharedState } from "./adapters/sqlite-state.js";
import { BUILT_IN_PARAMS, fittedParamsFile, readFittedParams, type FittedParams } from "./retrieval/fitted-params.js";
import { packageRoot } from "./package-root.js";

/** Everything a process needs, built once from the parsed config. The only place that names concrete adapters. */
export interface Engine {
  config: Config;
  dataDir: string;
  /** Documents, chunks, vectors, audit log (the source of truth). */
  store: DocumentRepository;
  /**
   * The store reads answering makes (chunk text, terms, vectors of ranked results). In serving processes they outlive
   * a store outage for passages read before (src/index/serving-reads.ts); elsewhere the store itself.
   */
  reads?: ServingReads;
  /** BM25 over the stored analyzer terms, statistics scoped to the collections a query covers. */
  keywords: KeywordIndex;
  /** The store's change log, which this process's serving indexes follow. */
  changes: ChangeLog;
  /** Uploads, job ledger, curated answers, analytics, first-start lease: in DATA_DIR, or PostgreSQL with DATABASE_URL. */
  state: SharedState;
  /** Pushed "the log grew" notices from writers on any machine (PostgreSQL LISTEN/NOTIFY); absent for SQLite. */
  changeNotices?: ChangeNotices;
  embedder: Embedder;
  /** The current vector index (a getter: a rebuild swaps it). */
  vectors: () => VectorIndex;
  /** This process's serving indexes as writers drive them: catch up with the change log, snapshot, rebuild. */
  indexes: IndexSync;
  /** PII redaction (built-in kinds + REDACT_PATTERNS, kinds per REDACT_POLICY) for questions recorded in analytics. */
  redactor: Redactor;
  /** The same redaction as the ingest pipeline's `redact` dependency: every ingestion path passes it. */
  redact: TextRedactor;
  /** Stored form of document ids (HMAC for ids with personal data): the pipeline, the HTTP routes and the CLI apply it. */
  documentIds: DocumentIds;
  ingestSettings(collection?: string): IngestSettings;
  /** The constants `npm run fit` produced for this embedder (built-in defaults when there is no artifact). */
  fitted: Pick<FittedParams, "confidence" | "composer" | "retrieval"> & { source: string };
  /**
   * Saves the vector index (when changed and `saveIndex` is not false) and closes the store. Serving processes that
   * do not hold the snapshot lease pass `saveIndex: false`: one process at a time writes snapshots (src/server/leases.ts).
   */
  close(options?: { saveIndex?: boolean }): Promise<void>;
}

export interface OpenEngineOptions {
  /** Open even when the store was built by another embedder (only `npm run reindex` wants this). */
  allowEmbedderMismatch?: boolean;
  /**
   * Serve keyword search from an in-memory index loaded from its snapshot and following the change log (API serving
   * processes). Without it, keyword search runs on SQLite FTS5 (workers, CLI, eval: no index to load).
   */
  servingKeywordIndex?: boolean;
  /**
   * Whether this process builds the HNSW graph now (the snapshot lease's holder; asked on every catch-up). The builder
   * inserts every logged vector and writes a snapshot every INDEX_SAVE_EVERY changes; the others insert nothing and
   * search the vectors logged after their snapshot exactly until the builder's next snapshot covers them
   * (src/index/vector-cache.ts). Without it this process always builds and saves only when asked (CLI, workers, eval).
   */
  buildsGraph?: () => boolean;
}

export async function createEmbedder(config: Config): Promise<Embedder> {
  if (config.EMBEDDER === "local") return new LocalHashEmbedder({ dimensions: config.LOCAL_EMBEDDER_DIMENSIONS });
  // Loaded only when configured: LangChain's OpenAI integration costs ~150 ms of start-up the local embedder never needs.
  const { OpenAIEmbedder } = await import("./adapters/openai-embedder.js");
  return OpenAIEmbedder.create({
    apiKey: config.OPENAI_API_KEY ?? "not-needed",
    ...(config.OPENAI_BASE_URL ? { baseURL: config.OPENAI_BASE_URL } : {}),
    model: config.OPENAI_EMBEDDING_MODEL,
    ...(config.OPENAI_EMBEDDING_DIMENSIONS ? { dimensions: config.OPENAI_EMBEDDING_DIMENSIONS } : {}),
    batchSize: config.EMBEDDING_BATCH_SIZE,
    maxRetries: config.OPENAI_MAX_RETRIES,
    timeoutMs: config.OPENAI_TIMEOUT_MS,
  });
}

/** Opens the store in DATA_DIR, checks it was built by the configured embedder, and loads the vector index. */
export async function openEngine(config: Config, options: OpenEngineOptions = {}): Promise<Engine> {
  const dataDir = resolve(config.DATA_DIR);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const { store, state, idSecret } = await openStore(config, dataDir);
  try {
    const embedder = await createEmbedder(config);
    const mismatch = await checkEmbedderStamp(store, embedder, options.allowEmbedderMismatch === true);
    // Both serving indexes load at once: hnswlib reads its file off the main thread while the keyword snapshot is
    // decoded on it, which keeps a serving process's cold start near the slower of the two rather than their sum.
    const reads = options.servingKeywordIndex ? outageTolerantReads(store, store.readVersion ? { version: store.readVersion.bind(store) } : {}) : undefined;
    const [cache, keywordFollower] = await Promise.all([
      openVectorCache(config, store, dataDir, embedder, { deferLoad: mismatch, ...(options.buildsGraph ? { builds: options.buildsGraph } : {}) }),
      reads ? openKeywordFollower(store, dataDir, (ids) => void reads.warm(ids)) : Promise.resolve(undefined),
    ]);
    const redactor = createRedactor(parseRedactPatterns(config.REDACT_PATTERNS), config.REDACT_POLICY);
    const indexes = keywordFollower ? combineIndexSync([cache, keywordFollower]) : cache;
    return {
      config,
      dataDir,
      store,
      keywords: keywordFollower ? followedKeywordIndex(keywordFollower) : store.keywordIndex,
      changes: store,
      state,
      ...(reads && keywordFollower ? { reads: withTermsInMemory(reads, () => keywordFollower.index) } : {}),
      ...(config.DATABASE_URL ? { changeNotices: await pgChangeNotices(config.DATABASE_URL, config.DATABASE_SCHEMA) } : {}),
      embedder,
      vectors: () => cache.vectors,
      indexes,
      redactor,
      redact: (text, target) => redactor.redact(text, target),
      documentIds: createDocumentIds({ secret: config.ID_HMAC_SECRET ?? (await idSecret()), patterns: config.REDACT_PATTERNS }),
      fitted: loadFitted(config, embedder.id),
      ingestSettings: (collection) => ({
        collection: collection ?? config.DEFAULT_COLLECTION,
        maxTokens: config.CHUNK_MAX_TOKENS,
        overlapTokens: config.CHUNK_OVERLAP_TOKENS,
      }),
      close: async (options = {}) => {
        try {
          if (indexes.dirty && options.saveIndex !== false) await indexes.saveIfDirty(1);
        } finally {
          await cache.close();
          await store.close();
        }
      },
    };
  } catch (err) {
    await store.close();
    throw err;
  }
}

/**
 * Stamps a new store with the configured embedder; throws when the store was built by another one (unless `allow`).
 * Returns whether the two differ (the vector index then starts empty, for `npm run reindex`).
 */
async function checkEmbedderStamp(store: DocumentRepository, embedder: Embedder, allow: boolean): Promise<boolean> {
  const stamp = await store.embedderStamp();
  const configured = { id: embedder.id, dimensions: embedder.dimensions };
  const mismatch = stamp !== undefined && (stamp.id !== configured.id || stamp.dimensions !== configured.dimensions);
  if (!stamp) await store.setEmbedderStamp(configured);
  else if (mismatch && !allow) {
    throw new EmbedderMismatchError(`${stamp.id}/${stamp.dimensions}`, `${configured.id}/${configured.dimensions}`);
  }
  return mismatch;
}

/** The HNSW index over the store's vectors (see VectorCache), on its own thread with HNSW_THREAD. */
function openVectorCache(
  config: Config, store: DocumentRepository & ChangeLog, dataDir: string, embedder: Embedder, { deferLoad, builds }: { deferLoad: boolean; builds?: () => boolean },
): Promise<VectorCache> {
  const hnsw = { m: config.HNSW_M, efConstruction: config.HNSW_EF_CONSTRUCTION, efSearch: config.HNSW_EF_SEARCH };
  const factory = config.HNSW_THREAD ? createThreadedHnswIndexFactory(hnsw) : createHnswIndexFactory(hnsw);
  return VectorCache.open(store, factory, {
    dir: dataDir, embedderId: embedder.id, dimensions: embedder.dimensions, deferLoad,
    ...(builds ? { builds, snapshotEvery: config.INDEX_SAVE_EVERY } : {}),
  });
}

interface OpenedStore {
  store: DocumentRepository & ChangeLog & { keywordIndex: KeywordIndex };
  state: SharedState;
  /** The generated document-id key (when ID_HMAC_SECRET is not set), where every process of the installation finds it. */
  idSecret(): Promise<string>;
}

/**
 * The store DATABASE_URL selects, with the rest of the shared state beside it: PostgreSQL (schema DATABASE_SCHEMA,
 * migrated under a lock; DATA_DIR keeps only this machine's snapshots and scratch files) or SQLite in DATA_DIR.
 */
async function openStore(config: Config, dataDir: string): Promise<OpenedStore> {
  if (config.DATABASE_URL) {
    // Loaded only when configured, like the OpenAI embedder: importing `pg` cost a SQLite installation's serving
    // processes ~70 ms of CPU at every start.
    const [{ openPgStore }, { pgIdSecret, pgSharedState }] = await Promise.all([import("./adapters/pg-store.js"), import("./adapters/pg-state.js")]);
    const store = await openPgStore({ connectionString: config.DATABASE_URL, schema: config.DATABASE_SCHEMA, max: config.DATABASE_POOL_MAX });
    return { store, state: pgSharedState(store.pool, join(dataDir, "incoming"), config.MAX_FILE_BYTES), idSecret: () => pgIdSecret(store.pool) };
  }
  const store = openSqliteStore(join(dataDir, "store.db"));
  return { store, state: sqliteSharedState(dataDir), idSecret: async () => loadIdSecret(undefined, dataDir) };
}

async function pgChangeNotices(connectionString: string, schema: string): Promise<ChangeNotices> {
  const { PgChangeNotices } = await import("./adapters/pg-change-notices.js");
  return new PgChangeNotices({ connectionString, schema });
}

/** Snapshot file of the in-memory keyword index, and the version its terms depend on (the ingest pipeline's). */
const KEYWORD_SNAPSHOT = "keywords.kwi";
const KEYWORD_PIPELINE = `analyzer-pipeline-${PIPELINE_VERSION}`;

/** The serving keyword index: its snapshot (if valid) caught up with the change log. */
function openKeywordFollower(
  store: DocumentRepository & ChangeLog, dataDir: string, added: (chunkIds: readonly string[]) => void,
): Promise<KeywordIndexFollower<MemoryKeywordIndex>> {
  const file = join(dataDir, KEYWORD_SNAPSHOT);
  return KeywordIndexFollower.open({
    log: store,
    loadDocs: async (ids) => {
      const docs = await store.keywordDocs(ids);
      added(ids);
      return docs;
    },
    snapshots: {
      load: () => MemoryKeywordIndex.load(file, KEYWORD_PIPELINE),
      save: async (index, seq) => { await index.save(file, KEYWORD_PIPELINE, seq); },
      empty: () => new MemoryKeywordIndex(),
    },
  });
}

/** A KeywordIndex that always asks the follower's current index (a rebuild swaps it). */
function followedKeywordIndex(follower: KeywordIndexFollower<MemoryKeywordIndex>): KeywordIndex {
  return {
    search: (terms, k, filter) => follower.index.search(terms, k, filter),
    stats: (terms, collections, family) => follower.index.stats(terms, collections, family),
  };
}

/** The fitted artifact of `embedderId` (FITTED_DIR, else the package's fitted/), or the built-in defaults. */
function loadFitted(config: Config, embedderId: string): Engine["fitted"] {
  const dir = config.FITTED_DIR ? resolve(config.FITTED_DIR) : join(packageRoot(), "fitted");
  const params = readFittedParams(dir, embedderId);
  return params ? { ...params, source: fittedParamsFile(dir, embedderId) } : { ...BUILT_IN_PARAMS, source: "built-in defaults" };
}

export {
  storeIdf, createConfiguredChatModel, createComposer, createAnswering, openAnalytics, openCurated, curatedDeps, createEngineAssist,
  type Answering,
} from "./answering-root.js";
