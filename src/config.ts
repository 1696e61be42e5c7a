import { availableParallelism } from "node:os";
import { z } from "zod";
import { ConfigError } from "./errors.js";
import { parseRedactPatterns } from "./assist/redact.js";
import { parseRedactPolicy } from "./assist/redact-policy.js";

/**
 * Every environment variable the engine reads, parsed once at start-up. An invalid value fails fast with the
 * variable's name. Empty strings count as unset so `.env` templates with blank lines work.
 */
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const num = (min: number, max: number) => z.coerce.number().min(min).max(max);
const bool = z
  .enum(["1", "0", "true", "false", "yes", "no", "on", "off"])
  .transform((v) => ["1", "true", "yes", "on"].includes(v));

const COLLECTION_RE = /^[\w.-]{1,64}$/;

/** The collection the demo corpus is ingested into (DEMO_CORPUS); its tickets never answer customers. */
export const DEMO_COLLECTION = "demo";

const schema = z.object({
  DATA_DIR: z.string().default("./data"),
  /** Where `npm run fit` artifacts are read (fitted/<embedder>.json); default the package's own fitted/. */
  FITTED_DIR: z.string().min(1).optional(),
  DEFAULT_COLLECTION: z.string().regex(/^[\w.-]{1,64}$/).default("default"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),

  EMBEDDER: z.enum(["local", "openai"]).default("local"),
  LOCAL_EMBEDDER_DIMENSIONS: int(32, 4096).default(384),
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: z.url().optional(),
  OPENAI_EMBEDDING_MODEL: z.string().default("text-embedding-3-small"),
  OPENAI_EMBEDDING_DIMENSIONS: int(1, 8192).optional(),
  EMBEDDING_BATCH_SIZE: int(1, 2048).default(64),
  OPENAI_MAX_RETRIES: int(0, 10).default(2),
  OPENAI_TIMEOUT_MS: int(100, 600_000).default(30_000),

  CHUNK_MAX_TOKENS: int(32, 4096).default(300),
  CHUNK_OVERLAP_TOKENS: int(0, 2048).default(45),
  MAX_FILE_BYTES: int(1, 2 ** 31).default(50 * 1024 * 1024),
  /**
   * Worker threads that load, chunk, analyze and embed files during `npm run ingest` while the main thread writes
   * the store and builds the vector index; 0 = all in-process. Default: one less than the cores, at most 2.
   */
  INGEST_WORKERS: int(0, 64).default(Math.max(0, Math.min(2, availableParallelism() - 1))),

  /**
   * The parse sandbox: uploads are loaded, redacted, chunked and embedded in a child process killed past any of
   * these. Over a limit, crashed or timed out, the job fails for good (422) naming the file and the variable.
   */
  PARSE_TIMEOUT_MS: int(1000, 3_600_000).default(60_000),
  PARSE_MAX_HEAP_MB: int(64, 65_536).default(512),
  PARSE_MAX_RSS_MB: int(128, 65_536).default(1024),
  PARSE_MAX_PAGES: int(1, 1_000_000).default(5000),
  PARSE_MAX_INFLATED_BYTES: int(1024, 2 ** 40).default(256 * 1024 * 1024),
  PARSE_MAX_TEXT_CHARS: int(1000, 2 ** 30).default(20_000_000),
  PARSE_MAX_NESTING: int(8, 100_000).default(512),

  HNSW_M: int(4, 64).default(16),
  /**
   * 64 (100 before, 200 before that): inserts cost ~8% less CPU in the graph builder than at 100, and the tv-manual,
   * zh-cs and pdf-manuals evals give the same hybrid ranking and answers within noise (zh-cs answer text ±0.003);
   * HNSW recall@10 at ef 128 on the evaluation sets 1.000 / 0.985 (`npm run hnsw-recall`). The synthetic corpus's
   * recall, already low for its flat similarities, drops further.
   */
  HNSW_EF_CONSTRUCTION: int(16, 1000).default(64),
  HNSW_EF_SEARCH: int(16, 2000).default(128),
  /**
   * Each process's HNSW index lives on a thread of its own (inserts ~0.4 ms each at 100k no longer run on the serving
   * thread, and the ingest writes beside them); false keeps it on the main thread.
   */
  HNSW_THREAD: bool.default(true),
  INDEX_SAVE_EVERY: int(1, 1_000_000).default(2000),

  ANSWER_COMPOSER: z.enum(["extractive", "llm"]).default("extractive"),
  CHAT_MODEL: z.string().default("gpt-4o-mini"),
  CHAT_MODEL_PROVIDER: z.string().default("openai"),
  CHAT_BASE_URL: z.url().optional(),
  CHAT_API_KEY: z.string().optional(),
  CHAT_TIMEOUT_MS: int(100, 600_000).default(20_000),
  CHAT_TEMPERATURE: num(0, 2).default(0),
  CHAT_MAX_CONCURRENCY: int(1, 256).default(4),
  ANSWER_MIN_CONFIDENCE: num(0, 1).default(0.35),
  RETRIEVAL_TOP_K: int(1, 50).default(6),

  PORT: int(0, 65535).default(3000),
  /**
   * Serving processes sharing PORT (node:cluster): one per core by default. 1 = one process, no cluster. With more,
   * a primary runs migrations and the first-start ingest, then forks the serving processes, restarts any that die,
   * keeps the rate-limit windows (without REDIS_URL) and sums /metrics across them.
   */
  API_PROCESSES: int(1, 256).default(availableParallelism()),
  HOST: z.string().optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, "must start with redis:// or rediss://").optional(),
  /**
   * PostgreSQL as the store (documents, chunks, terms, vectors, change log, audit): a postgres:// URL. Unset: the
   * embedded SQLite store in DATA_DIR. Requires REDIS_URL (the queue must be shared too).
   */
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "must start with postgres:// or postgresql://").optional(),
  /** The PostgreSQL schema the store lives in (created and migrated on first start). */
  DATABASE_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, "lower-case letters, digits and '_' (at most 63)").default("groundline"),
  /** Upper bound of PostgreSQL connections per process. */
  DATABASE_POOL_MAX: int(1, 1000).default(10),
  QUEUE_NAME: z.string().regex(/^[\w-]{1,64}$/).default("groundline-ingest"),
  RUN_WORKER_IN_API: bool.default(true),
  WORKER_CONCURRENCY: int(1, 64).default(1),
  RECONCILE_INTERVAL_MS: int(1000, 86_400_000).default(60_000),
  JOB_LEASE_MS: int(1000, 600_000).default(30_000),
  API_KEYS: z.string().optional(),
  RATE_LIMIT_PER_MINUTE: int(0, 1_000_000).default(600),
  /**
   * Origins (scheme://host[:port], comma-separated) whose pages may call the API from a browser: the chat widget on a
   * help site. A request carrying another Origin (not the API's own) is refused with 403; unset = none allowed.
   */
  CORS_ORIGINS: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const origins = (raw ?? "").split(",").map((o) => o.trim()).filter((o) => o !== "");
      const bad = origins.find((o) => !isOrigin(o));
      if (bad !== undefined) {
        ctx.addIssue({ code: "custom", message: `'${bad}' is not an origin (scheme://host[:port], no path)` });
        return z.NEVER;
      }
      return origins;
    }),
  /** Requests per minute per widget visitor (widget key + client IP); 0 disables. */
  WIDGET_RATE_LIMIT_PER_MINUTE: int(0, 1_000_000).default(30),
  REQUEST_TIMEOUT_MS: int(100, 600_000).default(30_000),
  MAX_BODY_BYTES: int(1024, 2 ** 31).default(1024 * 1024),
  /**
   * Ingest the demo documents in corpora/ (a fictional product's manual and 40 past tickets) into the `demo`
   * collection on first start (empty store). Unset: INGEST_ON_START, the older name of this switch, decides.
   */
  DEMO_CORPUS: bool.optional(),
  /** Deprecated alias of DEMO_CORPUS (read only when DEMO_CORPUS is unset). */
  INGEST_ON_START: bool.default(true),
  /**
   * Collections whose past tickets may inform customer answers (/answer, /v1, `npm run ask`), comma-separated. By
   * default none: customers are answered from knowledge sources (manuals, FAQs) only, and tickets serve agent assist.
   * In a listed collection, ticket text reaches customers only generalised (src/assist/generalise.ts). The demo
   * collection cannot be listed: demo tickets never answer customers.
   */
  TICKET_ANSWER_COLLECTIONS: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const names = [...new Set((raw ?? "").split(",").map((c) => c.trim()).filter((c) => c !== ""))];
      const bad = names.find((c) => !COLLECTION_RE.test(c));
      if (bad !== undefined) ctx.addIssue({ code: "custom", message: `'${bad}' is not a collection name (1-64 letters, digits, '_', '.', '-')` });
      if (names.includes(DEMO_COLLECTION)) ctx.addIssue({ code: "custom", message: `the '${DEMO_COLLECTION}' collection cannot be listed: demo tickets never answer customers` });
      return names;
    }),

  /** Site-specific PII patterns redacted besides the built-in kinds: `NAME=regex;NAME=regex` → `[NAME]`. */
  REDACT_PATTERNS: z.string().optional(),
  /**
   * Which kinds are redacted where: `SCOPE=KINDS;…` (see src/assist/redact-policy.ts). Default
   * `tickets=all;questions=all;default=email,phone,card,iban`.
   */
  REDACT_POLICY: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      try {
        return parseRedactPolicy(raw);
      } catch (err) {
        ctx.addIssue({ code: "custom", message: err instanceof Error ? err.message : String(err) });
        return z.NEVER;
      }
    }),
  /**
   * Role and mailing-list e-mail addresses (`debian-user@lists.debian.org`, `support@…`, `listmaster@…`) in knowledge
   * documents: `keep` (default: they are instructions, not people) or `redact`. Tickets and questions always get every
   * address redacted; personal-looking addresses are redacted everywhere. Folded into REDACT_POLICY.
   */
  REDACT_ROLE_ADDRESSES: z.enum(["keep", "redact"]).default("keep"),
  /**
   * Key for the HMAC that replaces document ids containing personal data (at least 16 characters). When unset, a
   * random secret is generated once into DATA_DIR/secret (mode 0600).
   */
  ID_HMAC_SECRET: z.string().min(16).optional(),
  /** Agent assist: least cosine similarity of a past ticket to be listed / to draft a suggested reply from. */
  ASSIST_MIN_TICKET_SIMILARITY: num(0, 1).default(0.2),
  ASSIST_REPLY_TICKET_SIMILARITY: num(0, 1).default(0.3),
});

/** An http(s) origin exactly as browsers send it in `Origin`. */
function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.origin === value;
  } catch {
    return false;
  }
}

export type Config = z.infer<typeof schema>;

/** Whether the demo corpus is ingested on first start: DEMO_CORPUS, else its older name INGEST_ON_START. */
export function demoCorpusEnabled(config: Pick<Config, "DEMO_CORPUS" | "INGEST_ON_START">): boolean {
  return config.DEMO_CORPUS ?? config.INGEST_ON_START;
}

/** Parses `env` (default `process.env`) into a typed config or throws {@link ConfigError} naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== "") cleaned[key] = value.trim();
  }
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = issue?.path.join(".") ?? "environment";
    throw new ConfigError(`invalid ${name}: ${issue?.message ?? "invalid value"}`, { cause: parsed.error });
  }
  const config = parsed.data;
  if (config.EMBEDDER === "openai" && !config.OPENAI_API_KEY && !config.OPENAI_BASE_URL) {
    throw new ConfigError("EMBEDDER=openai needs OPENAI_API_KEY (or OPENAI_BASE_URL for a keyless local server)");
  }
  if (config.DATABASE_URL && !config.REDIS_URL) {
    throw new ConfigError("DATABASE_URL (PostgreSQL store) needs REDIS_URL: several machines must share the queue as well as the store");
  }
  parseRedactPatterns(config.REDACT_PATTERNS);
  // One policy object travels to the ingest threads and the parse sandbox: the role-address rule rides in it.
  config.REDACT_POLICY = { ...config.REDACT_POLICY, documentRoleAddresses: config.REDACT_ROLE_ADDRESSES };
  if (config.CHUNK_OVERLAP_TOKENS >= config.CHUNK_MAX_TOKENS) {
    throw new ConfigError("CHUNK_OVERLAP_TOKENS must be smaller than CHUNK_MAX_TOKENS");
  }
  return config;
}
