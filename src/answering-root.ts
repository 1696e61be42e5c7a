// The answering half of the composition root (src/container.ts opens the engine; this builds the serving pipeline,
// composers, curated-answer and assist use cases over it). Split only to keep each file readable; both are the one root.
import type { Config } from "./config.js";
import { ConfigError } from "./errors.js";
import type { Engine } from "./container.js";
import type { KeywordIndex } from "./ports/keyword-index.js";
import type { AnalyticsStore } from "./ports/analytics-store.js";
import type { ChatModel } from "./ports/chat-model.js";
import type { CuratedStore } from "./ports/curated-store.js";
import type { Answer } from "./domain/answer.js";
import type { AnswerComposer } from "./answer/composer.js";
import { ExtractiveComposer, type ExtractiveOptions } from "./answer/extractive.js";
import { answerQuestion, type AnswerDeps, type AnswerRequest, type AnswerSettings } from "./answer/answer.js";
import { llmCondenser } from "./answer/llm-condense.js";
import { DEFAULT_RETRIEVAL_SETTINGS, retrieve, type RetrievalMode, type RetrievalResult, type RetrievalSettings, type RetrieveOptions } from "./retrieval/retrieve.js";
import type { IdfLookup } from "./retrieval/confidence.js";
import { bm25Idf } from "./retrieval/idf.js";
import { createQueryMemo, type QueryMemo } from "./retrieval/query-memo.js";
import { confidenceModelOf, fusionWeightsOf } from "./retrieval/fitted-params.js";
import { DEFAULT_ASSIST_SETTINGS, createAssist, type Assist } from "./assist/create-assist.js";
import { describeCuratedCitations, serialWrites, type CuratedDeps } from "./curated/curated-answers.js";
import { createSourceMemos, type SourceMemos } from "./answer/source-memos.js";

/** Inverse document frequency over the chunks of some collections (BM25's IDF), for confidence and sentence scoring. */
export function storeIdf(keywords: Pick<KeywordIndex, "stats">): IdfLookup {
  return (terms, collections, family) => bm25Idf(keywords, terms, collections, family);
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
export async function createComposer(
  config: Config, chatModel?: ChatModel, extractiveOptions: Partial<ExtractiveOptions> = {}, memos?: Pick<SourceMemos, "spans" | "sentenceTerms">,
): Promise<AnswerComposer> {
  const extractive = new ExtractiveComposer(extractiveOptions, memos);
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
    const key = JSON.stringify([query, options.topK, options.mode, options.filter, options.scriptFamily]);
    let hit = cache.get(key);
    if (!hit) cache.set(key, (hit = retrieveUncached(query, options)));
    return hit;
  };
  // One chat model serves both the composer and the follow-up rewrite (the README's "LLM rewrites follow-ups").
  const chatModel = await createConfiguredChatModel(config);
  const newMemo = (): QueryMemo => createQueryMemo({ keywords, embedder });
  // Popular chunks are sources of many answers: what composing and verifying compute from a source's text alone is
  // remembered (bounded; see source-memos.ts), and the composer's sentence spans serve the verifier too.
  const sourceMemos = createSourceMemos();
  const deps: AnswerDeps = {
    retrieve: retrieveFn,
    composer: overrides.composer ?? (await createComposer(config, chatModel, engine.fitted.composer, sourceMemos)),
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
    sourceMemos,
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
