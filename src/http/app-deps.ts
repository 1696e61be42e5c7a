import type { RequestHandler } from "express";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import type { Answering } from "../container.js";
import type { Assist } from "../assist/create-assist.js";
import type { CuratedDeps } from "../curated/curated-answers.js";
import type { DocumentRepository } from "../ports/document-repository.js";
import type { JobQueue } from "../ports/job-queue.js";
import type { UploadStore } from "../ports/upload-store.js";
import type { AnswerSlots } from "./answer-slots.js";
import type { HttpMetrics } from "./metrics.js";
import type { ApiKeyConfig } from "./middleware/auth.js";
import type { RateLimiter } from "./rate-limiter.js";

export interface HttpLimits {
  /** JSON body limit (bytes); also bounds JSON document uploads. */
  maxBodyBytes: number;
  /** Largest uploaded file (bytes). */
  maxFileBytes: number;
  /** After this a request gets 503 and its answer computation is aborted. */
  requestTimeoutMs: number;
  /** Requests per minute per API key (per client IP without keys); 0 disables rate limiting. */
  rateLimitPerMinute: number;
  /** Requests per minute per widget visitor (widget key + client IP); 0 or absent disables. */
  widgetRateLimitPerMinute?: number;
  /** Answers computed at once; further requests wait briefly, then get 503. */
  maxConcurrentAnswers: number;
  /** How long a request may wait for an answer slot; default min(5 s, requestTimeoutMs / 2). */
  answerQueueWaitMs?: number;
}

/** Everything the HTTP layer needs; `createApp` never opens sockets or files itself. */
export interface AppDeps {
  answering: Answering;
  store: DocumentRepository;
  queue: JobQueue;
  uploads: UploadStore;
  logger: Logger;
  /** Parsed `API_KEYS` (see `parseApiKeys`); empty means no authentication (bind to 127.0.0.1 then). */
  auth: ApiKeyConfig[];
  limits: HttpLimits;
  /** Shared limiter (Redis) for several API processes; an in-memory one is created when absent. */
  rateLimiter?: RateLimiter;
  /** Shared limiter for widget visitors (see `limits.widgetRateLimitPerMinute`); in-memory when absent. */
  widgetRateLimiter?: RateLimiter;
  /** Origins whose pages may call the API from a browser (CORS_ORIGINS); others get 403. */
  corsOrigins?: readonly string[];
  /** The built console (index.html, assets/, widget.js), served under /console/; 404s saying so when absent. */
  consoleDir?: string;
  /** Named readiness checks for /readyz (e.g. `{ store: true, queue: true }`). */
  readiness: () => Promise<Record<string, boolean>>;
  /** Dependencies (e.g. `postgres`, `redis`) down right now: writes get 503 while any is. None checked when absent. */
  unavailable?: () => readonly string[];
  /** Collection for uploads that name none. */
  defaultCollection: string;
  /** Registry for /metrics; a fresh one per app when absent (never prom-client's global registry). */
  metrics?: Registry;
  /**
   * The /metrics body when this process is one of several serving processes: the sums over all of them (the cluster
   * primary collects every process's registry). Absent: this app's registry alone.
   */
  metricsText?: () => Promise<string>;
  /**
   * Agent assist and support intelligence: enables /suggest, /feedback and /analytics, adds `triage` to /answer and
   * records served answers (redacted) for analytics. Those routes answer 404 without it.
   */
  assist?: Assist;
  /** Curated answers (their store and the ingest dependencies indexing them); /curated answers 404 without it. */
  curated?: CuratedDeps;
  /**
   * Maps a document id received in a request to the id it is stored under (ids with personal data are stored as an
   * HMAC); identity when absent. Applied to every id the documents routes receive, and to uploaded file names.
   */
  documentIds?: { toStored(rawId: string): string };
  /** Redacts an upload's `title` (REDACT_POLICY for documents of that collection) before it is queued; none when absent. */
  redactTitle?: (title: string, collection: string) => string;
  /** Express `trust proxy` setting, when the API runs behind a reverse proxy (client IPs for rate limiting). */
  trustProxy?: boolean | number | string;
}

/** What route modules get: the app's dependencies plus the shared per-app machinery. */
export interface RouteDeps extends AppDeps {
  httpMetrics: HttpMetrics;
  slots: AnswerSlots;
  /** JSON body parser with the configured limit; run only after access control. */
  jsonBody: RequestHandler;
}
