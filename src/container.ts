import { BoundedMemo } from "./text/bounded-memo.js";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Config } from "./config.js";
import { ConfigError, EmbedderMismatchError } from "./errors.js";
import type { Embedder } from "./ports/embedder.js";
import type { DocumentRepository } from "./ports/document-repository.js";
import type { KeywordIndex } from "./ports/keyword-index.js";
import type { ChangeLog, ChangeNotices } from "./ports/change-log.js";
import type { IndexSync } from "./ports/index-sync.js";
import type { VectorIndex } from "./ports/vector-index.js";
import { LocalHashEmbedder } from "./adapters/local-embedder.js";
import { openSqliteStore } from "./adapters/sqlite-store.js";
import { openPgStore } from "./adapters/pg-store.js";
import { PgChangeNotices } from "./adapters/pg-change-notices.js";
import { createHnswIndexFactory } from "./adapters/hnsw-index.js";
import { VectorCache } from "./index/vector-cache.js";
import { combineIndexSync } from "./index/combined-index-sync.js";
import { KeywordIndexFollower } from "./index/keyword-follower.js";
import { outageTolerantReads, type ServingReads } from "./index/serving-reads.js";
import { MemoryKeywordIndex } from "./adapters/memory-keyword-index.js";
import { PIPELINE_VERSION, type IngestSettings, type TextRedactor } from "../ingest/pipeline.js";
import { createRedactor, parseRedactPatterns, type Redactor } from "./assist/redact.js";
import { createDocumentIds, type DocumentIds } from "./assist/document-ids.js";
import { loadIdSecret } from "./adapters/id-secret.js";
import { DEFAULT_ASSIST_SETTINGS, createAssist, type Assist } from "./assist/create-assist.js";
import type { AnalyticsStore } from "./ports/analytics-store.js";
import type { SharedState } from "./ports/shared-state.js";
import { sqliteSharedState } from "./adapters/sqlite-state.js";
import { pgIdSecret, pgSharedState } from "./adapters/pg-state.js";
import type { Answer } from "./domain/answer.js";
import type { AnswerComposer } from "./answer/composer.js";
import { ExtractiveComposer, type ExtractiveOptions } from "./answer/extractive.js";
import { answerQuestion, type AnswerDeps, type AnswerRequest, type AnswerSettings } from "./answer/answer.js";
import { DEFAULT_RETRIEVAL_SETTINGS, retrieve, type RetrievalMode, type RetrievalResult, type RetrievalSettings, type RetrieveOptions } from "./retrieval/retrieve.js";
import type { IdfLookup } from "./retrieval/confidence.js";
import { bm25Idf } from "./retrieval/idf.js";
import { createQueryMemo, type QueryMemo } from "./retrieval/query-memo.js";
import { BUILT_IN_PARAMS, confidenceModelOf, fittedParamsFile, fusionWeightsOf, readFittedParams, type FittedParams } from "./retrieval/fitted-params.js";
import { packageRoot } from "./package-root.js";
import type { ChatModel } from "./ports/chat-model.js";
import { llmCondenser } from "./answer/llm-condense.js";
import type { CuratedStore } from "./ports/curated-store.js";
import { describeCuratedCitations, serialWrites, type CuratedDeps } from "./curated/curated-answers.js";

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
    const stamp = await store.embedderStamp();
    const configured = { id: embedder.id, dimensions: embedder.dimensions };
    const mismatch = stamp !== undefined && (stamp.id !== configured.id || stamp.dimensions !== configured.dimensions);
    if (!stamp) await store.setEmbedderStamp(configured);
    else if (mismatch && !options.allowEmbedderMismatch) {
      throw new EmbedderMismatchError(`${stamp.id}/${stamp.dimensions}`, `${configured.id}/${configured.dimensions}`);
    }
    const factory = createHnswIndexFactory({ m: config.HNSW_M, efConstruction: config.HNSW_EF_CONSTRUCTION, efSearch: config.HNSW_EF_SEARCH });
    // Both serving indexes load at once: hnswlib reads its file off the main thread while the keyword snapshot is
    // decoded on it, which keeps a serving process's cold start near the slower of the two rather than their sum.
    const reads = options.servingKeywordIndex ? outageTolerantReads(store) : undefined;
    const [cache, keywordFollower] = await Promise.all([
      VectorCache.open(store, factory, { dir: dataDir, embedderId: embedder.id, dimensions: embedder.dimensions, deferLoad: mismatch }),
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
      ...(reads ? { reads } : {}),
      ...(config.DATABASE_URL ? { changeNotices: new PgChangeNotices({ connectionString: config.DATABASE_URL, schema: config.DATABASE_SCHEMA }) } : {}),
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
        if (indexes.dirty && options.saveIndex !== false) await indexes.saveIfDirty(1);
        await store.close();
      },
    };
  } catch (err) {
    await store.close();
    throw err;
  }
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
    const store = await openPgStore({ connectionString: config.DATABASE_URL, schema: config.DATABASE_SCHEMA, max: config.DATABASE_POOL_MAX });
    return { store, state: pgSharedState(store.pool, join(dataDir, "incoming"), config.MAX_FILE_BYTES), idSecret: () => pgIdSecret(store.pool) };
  }
  const store = openSqliteStore(join(dataDir, "store.db"));
  return { store, state: sqliteSharedState(dataDir), idSecret: async () => loadIdSecret(undefined, dataDir) };
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
    stats: (terms, collections) => follower.index.stats(terms, collections),
  };
}

/** The fitted artifact of `embedderId` (FITTED_DIR, else the package's fitted/), or the built-in defaults. */
function loadFitted(config: Config, embedderId: string): Engine["fitted"] {
  const dir = config.FITTED_DIR ? resolve(config.FITTED_DIR) : join(packageRoot(), "fitted");
  const params = readFittedParams(dir, embedderId);
  return params ? { ...params, source: fittedParamsFile(dir, embedderId) } : { ...BUILT_IN_PARAMS, source: "built-in defaults" };
}

/** Inverse document frequency over the chunks of some collections (BM25's IDF), for confidence and sentence scoring. */
export function storeIdf(keywords: Pick<KeywordIndex, "stats">): IdfLookup {
  return (terms, collections) => bm25Idf(keywords, terms, collections);
}

/** The chat model the config names (ANSWER_COMPOSER=llm), or undefined for the extractive default. */
export async function createConfiguredChatModel(config: Config): Promise<ChatModel | undefined> {
  if (config.ANSWER_COMPOSER === "extractive") return undefined;
  const apiKey = config.CHAT_API_KEY ?? config.OPENAI_API_KEY;
  const baseURL = config.CHAT_BASE_URL ?? config.OPENAI_BASE_URL;
  if (!apiKey && !baseURL) throw new ConfigError("ANSWER_COMPOSER=llm needs CHAT_API_KEY or OPENAI_API_KEY (or CHAT_BASE_URL for a keyless local server)");
  // Loaded only for the LLM composer: `langchain` and `@langchain/core` cost ~0.5 s of start-up on the extractive default.
  const { createChatModel } = await import("./adapters/langchain-chat-model.js");
  return createChatModel({
    model: config.CHAT_MODEL,
    provider: config.CHAT_MODEL_PROVIDER,
    ...(apiKey ? { apiKey } : { apiKey: "not-needed" }),
    ...(baseURL ? { baseURL } : {}),
    timeoutMs: config.CHAT_TIMEOUT_MS,
    temperature: config.CHAT_TEMPERATURE,
  });
}

/** Builds the answer composer the config asks for; the LLM composer falls back to the extractive one. */
export async function createComposer(config: Config, chatModel?: ChatModel, extractiveOptions: Partial<ExtractiveOptions> = {}): Promise<AnswerComposer> {
  const extractive = new ExtractiveComposer(extractiveOptions);
  const model = chatModel ?? (await createConfiguredChatModel(config));
  if (!model) return extractive;
  const { LlmComposer } = await import("./answer/llm-composer.js");
  return new LlmComposer(model, extractive, { timeoutMs: config.CHAT_TIMEOUT_MS, maxConcurrency: config.CHAT_MAX_CONCURRENCY });
}

/** The serving pipeline over an open engine (see `answerQuestion` and `retrieve`). */
export interface Answering {
  retrieve(query: string, options?: RetrieveOptions): Promise<RetrievalResult>;
  answer(request: AnswerRequest): Promise<Answer>;
  /** A fresh per-question memo (IDF, query vectors) to share between answering and triage of one question. */
  newMemo?(): QueryMemo;
}

/** Retrieval and answering over an open engine. `overrides` let the evaluation harness tune settings. */
export async function createAnswering(
  engine: Engine,
  overrides: {
    composer?: AnswerComposer; mode?: RetrievalMode; retrieval?: Partial<RetrievalSettings>; answer?: Partial<AnswerSettings>; curated?: CuratedStore;
    /** Evaluation only (`npm run fit`): results shared by answerers that differ only after retrieval (same store, mode and settings). */
    retrievalCache?: Map<string, Promise<RetrievalResult>>;
  } = {},
): Promise<Answering> {
  const { config, store, keywords, embedder, vectors } = engine;
  const retrievalSettings = { ...DEFAULT_RETRIEVAL_SETTINGS, weights: fusionWeightsOf(engine.fitted), ...overrides.retrieval };
  const retrieveUncached = (query: string, options: RetrieveOptions = {}) =>
    retrieve({ store: engine.reads ?? store, keywords, embedder, vectors }, query, { ...(overrides.mode ? { mode: overrides.mode } : {}), ...options }, retrievalSettings);
  const cache = overrides.retrievalCache;
  const retrieveFn = !cache ? retrieveUncached : (query: string, options: RetrieveOptions = {}) => {
    const key = JSON.stringify([query, options.topK, options.mode, options.filter]);
    let hit = cache.get(key);
    if (!hit) cache.set(key, (hit = retrieveUncached(query, options)));
    return hit;
  };
  // One chat model serves both the composer and the follow-up rewrite (the README's "LLM rewrites follow-ups").
  const chatModel = await createConfiguredChatModel(config);
  const newMemo = (): QueryMemo => createQueryMemo({ keywords, embedder });
  const deps: AnswerDeps = {
    retrieve: retrieveFn,
    composer: overrides.composer ?? (await createComposer(config, chatModel, engine.fitted.composer)),
    idf: storeIdf(keywords),
    ...(chatModel ? { condense: llmCondenser(chatModel, { timeoutMs: config.CHAT_TIMEOUT_MS }) } : {}),
    newMemo,
    ...(overrides.curated ? { describeCurated: (citations) => describeCuratedCitations(overrides.curated!, citations) } : {}),
    settings: {
      minConfidence: config.ANSWER_MIN_CONFIDENCE,
      topK: config.RETRIEVAL_TOP_K,
      sources: 4,
      minSupport: 0.5,
      ticketCollections: config.TICKET_ANSWER_COLLECTIONS,
      confidenceModel: confidenceModelOf(engine.fitted),
      ...overrides.answer,
    },
    // Popular chunks are cited by many answers: their content terms are analysed once (bounded, ~2 KB each).
    sourceTerms: new BoundedMemo<Set<string>>(2048),
  };
  return { retrieve: retrieveFn, answer: (request) => answerQuestion(deps, request), newMemo };
}

/** The analytics log (served answers, feedback): DATA_DIR/analytics.db or PostgreSQL; the caller closes it. */
export function openAnalytics(engine: Pick<Engine, "state">): AnalyticsStore {
  return engine.state.openAnalytics();
}

/** The curated answers' versions: DATA_DIR/curated.db or PostgreSQL; the caller closes it. */
export function openCurated(engine: Pick<Engine, "state">): CuratedStore {
  return engine.state.openCurated();
}

/** What the curated-answer use cases need over an open engine: the latest version is ingested like any document. */
export function curatedDeps(engine: Engine, curated: CuratedStore): CuratedDeps {
  return {
    curated,
    ingest: { store: engine.store, embedder: engine.embedder, redact: engine.redact },
    ingestSettings: (collection) => engine.ingestSettings(collection),
    // The dense leg sees a new version (and stops seeing a deleted one) on the next question, not a second later.
    onIndexed: () => engine.indexes.catchUp(),
    serialize: serialWrites(),
  };
}

/** Agent assist (suggestions, triage, feedback, reports) over an open engine, its answering and an analytics log. */
export function createEngineAssist(engine: Engine, answering: Answering, analytics: AnalyticsStore): Assist {
  const newMemo = answering.newMemo;
  return createAssist({
    retrieve: answering.retrieve,
    answer: answering.answer,
    ...(newMemo ? { newMemo } : {}),
    store: engine.store,
    embedder: engine.embedder,
    analytics,
    redactor: engine.redactor,
    settings: {
      ...DEFAULT_ASSIST_SETTINGS,
      minConfidence: engine.config.ANSWER_MIN_CONFIDENCE,
      minTicketSimilarity: engine.config.ASSIST_MIN_TICKET_SIMILARITY,
      replyTicketSimilarity: engine.config.ASSIST_REPLY_TICKET_SIMILARITY,
    },
  });
}
