import { z } from "zod";
import { AppError } from "../errors.js";

/**
 * The contract both job runners (BullMQ, in-process SQLite) share with the ingestion processor: how job data is
 * validated, which failures are permanent, and the logger they log through.
 */
/** What a job runner accepts as job data: anything else is a malformed payload that fails without retry. */
export const ingestJobDataSchema = z.object({
  uploadPath: z.string().min(1),
  fileName: z.string().min(1),
  documentId: z.string().min(1),
  contentHash: z.string().regex(/^[0-9a-f]{64}$/),
  collection: z.string().min(1),
  title: z.string().optional(),
  replace: z.boolean().optional(),
});

/** Minimal structured logger the job runners use (pino-compatible). */
export interface JobLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/**
 * Whether a job error can never succeed on retry: bad input (InvalidInputError, UnsupportedDocumentError, any
 * AppError below 500). Everything else (embedder timeouts, I/O, bugs) counts as transient and is retried.
 */
export function isPermanentFailure(err: unknown): boolean {
  return err instanceof AppError && err.status < 500;
}


/** Why a job failed whose every attempt ended with its worker process gone (crash, OOM kill, SIGKILL). */
export function crashedTooOftenMessage(attempts: number): string {
  return `the worker crashed or was killed while processing this file ${attempts} times; it is not retried again`;
}
