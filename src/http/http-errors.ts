import { AppError } from "../errors.js";

/**
 * An application error that only exists at the HTTP boundary (authentication, limits, media types). It may carry
 * response headers (WWW-Authenticate, Retry-After) that the error middleware sends with the problem.
 */
export class HttpError extends AppError {
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    code: string,
    status: number,
    message: string,
    options?: { cause?: unknown; details?: Record<string, unknown>; headers?: Record<string, string> },
  ) {
    super(code, status, message, { cause: options?.cause, ...(options?.details ? { details: options.details } : {}) });
    this.headers = options?.headers ?? {};
  }
}

export class UnauthorizedError extends HttpError {
  constructor(message = "a valid API key is required (Authorization: Bearer <key> or X-API-Key)") {
    super("unauthorized", 401, message, { headers: { "WWW-Authenticate": 'Bearer realm="groundline"' } });
  }
}

export class ForbiddenError extends HttpError {
  constructor(message: string) {
    super("forbidden", 403, message);
  }
}

export class RateLimitedError extends HttpError {
  constructor(retryAfterSeconds: number) {
    super("rate-limited", 429, `rate limit exceeded; retry in ${retryAfterSeconds} s`, {
      headers: { "Retry-After": String(retryAfterSeconds) },
      details: { retryAfter: retryAfterSeconds },
    });
  }
}

/** Too many answers are being computed; the request waited for a slot and gave up. */
export class OverloadedError extends HttpError {
  constructor(retryAfterSeconds: number) {
    super("overloaded", 503, "too many answers are being computed right now; retry shortly", {
      headers: { "Retry-After": String(retryAfterSeconds) },
      details: { retryAfter: retryAfterSeconds },
    });
  }
}

export class RequestTimeoutError extends HttpError {
  constructor(timeoutMs: number) {
    super("timeout", 503, `the request did not complete within ${timeoutMs} ms`, { headers: { "Retry-After": "1" } });
  }
}

/** The client went away; used as the abort reason so nothing is written to a closed socket. */
export class ClientClosedError extends HttpError {
  constructor() {
    super("client-closed", 499, "the client closed the connection");
  }
}

export class UnsupportedMediaTypeError extends HttpError {
  constructor(message: string) {
    super("unsupported-media-type", 415, message);
  }
}

export class PayloadTooLargeError extends HttpError {
  constructor(message: string, details?: Record<string, unknown>) {
    super("payload-too-large", 413, message, details ? { details } : undefined);
  }
}

/** A job that finished and has since been pruned from the queue: its final state, from the job ledger. */
export class JobExpiredError extends HttpError {
  constructor(job: { id: string; state: string; finishedAt?: string; error?: string }) {
    super("job-expired", 410, `job '${job.id}' finished and is no longer kept by the queue; its final state was '${job.state}'`, {
      details: {
        id: job.id,
        state: job.state,
        ...(job.finishedAt ? { finishedAt: job.finishedAt } : {}),
        ...(job.error ? { error: job.error } : {}),
      },
    });
  }
}

/** The document's ingestion job is running: deleting now would be undone when the job writes its result. */
export class DocumentBusyError extends HttpError {
  constructor(documentId: string, jobId: string) {
    super("document-busy", 409, `document '${documentId}' is being ingested by job '${jobId}'; delete it once that job has ended`, {
      details: { jobId },
    });
  }
}

/**
 * A curated answer is stored as a document of source type `curated`, but its versions, authors and coverage live in
 * the curated store: a `/documents` write would change what answers cite behind that store's back. Every key, admin
 * included, goes through `/curated/:id` (curate scope) instead.
 */
export class CuratedDocumentError extends HttpError {
  constructor(documentId: string, collection: string) {
    super("curated-document", 409, `document '${documentId}' is a curated answer; change or delete it through /curated/${documentId}?collection=${collection} (needs the curate scope)`, {
      details: { curated: `/curated/${documentId}`, collection },
    });
  }
}

/** The resource is not in a state that allows the request (e.g. a proposal already accepted or dismissed). */
export class ConflictError extends HttpError {
  constructor(code: string, message: string) {
    super(code, 409, message);
  }
}
