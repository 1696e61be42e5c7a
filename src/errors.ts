/**
 * Typed application errors. Each carries a stable `code` (used as the problem+json `type` suffix and by the CLI),
 * an HTTP `status`, and the underlying `cause` when one exists.
 */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, status: number, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = status;
    this.details = options?.details;
  }
}

/** Input that can never succeed as given (bad file, bad request): retrying will not help. */
export class InvalidInputError extends AppError {
  constructor(message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super("invalid-input", 400, message, options);
  }
}

/** A file that cannot be ingested: unsupported, empty, encrypted, corrupt or too large. Names the file. */
export class UnsupportedDocumentError extends AppError {
  readonly file: string;
  constructor(file: string, reason: string, options?: { cause?: unknown; status?: number }) {
    super("unsupported-document", options?.status ?? 422, `${file}: ${reason}`, { cause: options?.cause, details: { file, reason } });
    this.file = file;
  }
}

export class NotFoundError extends AppError {
  constructor(what: string, id: string) {
    super("not-found", 404, `${what} '${id}' not found`, { details: { id } });
  }
}

/** Configuration that cannot work; message names the variable. */
export class ConfigError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("config", 500, message, options);
  }
}

/** The store was built by another embedder (or dimensions); `npm run reindex` fixes it. */
export class EmbedderMismatchError extends AppError {
  constructor(stored: string, configured: string) {
    super(
      "embedder-mismatch",
      409,
      `the store in DATA_DIR was built with embedder '${stored}' but '${configured}' is configured; run \`npm run reindex\` to rebuild the vectors with the configured embedder`,
      { details: { stored, configured } },
    );
  }
}

/** A dependency (model endpoint, Redis) failed in a way that may pass: retry later. */
export class TransientError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("transient", 503, message, options);
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Network-level and server-availability codes: Node's socket errors and PostgreSQL's connection/shutdown SQLSTATEs. */
const CONNECTION_CODES = new Set([
  "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN",
  "08000", "08001", "08003", "08004", "08006", "57P01", "57P02", "57P03",
]);
/** Messages client libraries use for a lost or unobtainable connection (they carry no code). */
const CONNECTION_MESSAGES = /connection terminated|timeout exceeded when trying to connect|connection is closed|client has encountered a connection error|reached the max retries per request|stream isn't writeable|client was closed/i;

/**
 * Whether `err` (or an error it wraps as its cause) says a dependency could not be reached, as opposed to a bad
 * statement or bad data: the former is an outage (503, retry later), the latter a bug. No client library is named
 * here, so the HTTP layer can classify errors from any adapter.
 */
export function isConnectionError(err: unknown, depth = 0): boolean {
  if (typeof err !== "object" || err === null || depth > 4) return false;
  if (err instanceof DependencyUnavailableError) return true;
  const { code, message, name, cause } = err as { code?: unknown; message?: unknown; name?: unknown; cause?: unknown };
  if (typeof code === "string" && CONNECTION_CODES.has(code)) return true;
  if (name === "MaxRetriesPerRequestError") return true;
  if (typeof message === "string" && CONNECTION_MESSAGES.test(message)) return true;
  return isConnectionError(cause, depth + 1);
}

/** A dependency (PostgreSQL, Redis) is down: the request may succeed once it is back (503 with Retry-After). */
export class DependencyUnavailableError extends AppError {
  readonly retryAfterSeconds: number;
  constructor(dependencies: readonly string[], options?: { cause?: unknown; retryAfterSeconds?: number }) {
    const names = dependencies.length > 0 ? dependencies.join(", ") : "a dependency";
    super("dependency-unavailable", 503, `${names} unavailable; the write was not made, retry later (answers keep being served)`, {
      cause: options?.cause,
      details: { dependencies: [...dependencies] },
    });
    this.retryAfterSeconds = options?.retryAfterSeconds ?? 5;
  }
}
