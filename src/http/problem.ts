import { STATUS_CODES } from "node:http";
import { ZodError } from "zod";
import { AppError, DependencyUnavailableError, isConnectionError } from "../errors.js";
import { HttpError } from "./http-errors.js";
import { zodIssues } from "./validate.js";

/** Prefix of problem `type` URIs; the error code is appended (`urn:groundline:problem:not-found`). */
export const PROBLEM_TYPE_BASE = "urn:groundline:problem:";

/** An error reduced to what a response needs. `internal` errors are logged and their message is not shown. */
export interface ErrorDescription {
  status: number;
  code: string;
  detail: string;
  details: Record<string, unknown>;
  headers: Record<string, string>;
  internal: boolean;
}

/** RFC 9457 problem details, plus the request id and the error's own details. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  requestId: string;
  [extension: string]: unknown;
}

const RESERVED = new Set(["type", "title", "status", "detail", "instance", "requestId"]);

/** Maps any thrown value to a status, code and safe message. */
export function describeError(err: unknown): ErrorDescription {
  if (err instanceof DependencyUnavailableError) {
    return {
      status: 503, code: err.code, detail: err.message, details: { ...err.details, retryAfter: err.retryAfterSeconds },
      headers: { "Retry-After": String(err.retryAfterSeconds) }, internal: false,
    };
  }
  // A query that failed because its connection did (an outage that began mid-request): retry later, not a bug.
  if (!(err instanceof AppError && err.status < 500) && isConnectionError(err)) return describeError(new DependencyUnavailableError([], { cause: err }));
  if (err instanceof AppError) {
    return {
      status: err.status,
      code: err.code,
      detail: err.message,
      details: err.details ?? {},
      headers: err instanceof HttpError ? { ...err.headers } : {},
      internal: err.status >= 500 && !(err instanceof HttpError),
    };
  }
  if (err instanceof ZodError) {
    const errors = zodIssues(err);
    return { status: 400, code: "invalid-input", detail: "invalid request", details: { errors }, headers: {}, internal: false };
  }
  return describeHttpLibraryError(err) ?? { status: 500, code: "internal", detail: "internal error", details: {}, headers: {}, internal: true };
}

/** Errors from body-parser and the router (http-errors objects with `status`, `type`, `expose`). */
function describeHttpLibraryError(err: unknown): ErrorDescription | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  const record = err as Record<string, unknown>;
  const status = typeof record.status === "number" ? record.status : typeof record.statusCode === "number" ? record.statusCode : undefined;
  if (status === undefined || status < 400 || status > 499) return undefined;
  const message = typeof record.message === "string" ? record.message : "bad request";
  const base = { status, details: {}, headers: {}, internal: false };
  if (record.type === "entity.too.large") {
    const limit = typeof record.limit === "number" ? record.limit : undefined;
    return { ...base, code: "payload-too-large", detail: `request body is over the limit${limit ? ` of ${limit} bytes` : ""}`, details: limit ? { limit } : {} };
  }
  if (record.type === "entity.parse.failed") return { ...base, code: "malformed-json", detail: `malformed JSON body: ${message}` };
  const code = (STATUS_CODES[status] ?? "error").toLowerCase().replace(/[^a-z]+/g, "-");
  return { ...base, code, detail: record.expose === false ? (STATUS_CODES[status] ?? "error") : message };
}

/** The problem+json body; the error's details become extension members (never overriding the standard ones). */
export function problemBody(d: ErrorDescription, instance: string, requestId: string): Problem {
  const extensions = Object.fromEntries(Object.entries(d.details).filter(([k]) => !RESERVED.has(k)));
  return {
    type: `${PROBLEM_TYPE_BASE}${d.code}`,
    title: STATUS_CODES[d.status] ?? "Error",
    status: d.status,
    detail: d.detail,
    instance,
    requestId,
    ...extensions,
  };
}

/** OpenAI's error envelope, for the /v1 routes (clients such as the `openai` package read `error.message`). */
export interface OpenAiErrorBody {
  error: { message: string; type: string; code: string; param: string | null };
}

export function openAiErrorBody(d: ErrorDescription): OpenAiErrorBody {
  const type =
    d.status === 401 ? "authentication_error"
    : d.status === 403 ? "permission_error"
    : d.status === 429 ? "rate_limit_error"
    : d.status >= 500 ? "server_error"
    : "invalid_request_error";
  const errors = d.details.errors;
  const firstPath = Array.isArray(errors) && typeof errors[0] === "object" && errors[0] !== null ? (errors[0] as { path?: unknown }).path : undefined;
  const param = typeof firstPath === "string" && firstPath !== "" ? firstPath : null;
  return { error: { message: d.detail, type, code: d.code.replace(/-/g, "_"), param } };
}
