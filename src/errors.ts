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
