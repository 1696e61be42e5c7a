import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import type { Logger } from "pino";
import type { Answer } from "../domain/answer.js";
import { errorMessage } from "../errors.js";
import type { JobQueue, JobState } from "../ports/job-queue.js";

export type AnswerOutcome = "answered" | "refused" | "escalated" | "degraded";

/** The service's Prometheus metrics, registered in one registry (never the global default one). */
export interface HttpMetrics {
  registry: Registry;
  requestDuration: Histogram<"method" | "route" | "status">;
  answers: Counter<"outcome">;
  /** A model step that fell back (condense → heuristic, compose → extractive), by reason. */
  llmFallbacks: Counter<"reason">;
  jobsEnqueued: Counter;
  jobsDeduplicated: Counter;
}

const STATES: readonly JobState[] = ["waiting", "active", "completed", "failed", "delayed"];

/**
 * One outcome per answer, most operationally urgent first: a degraded answer (the LLM failed and the extractive
 * composer stood in) counts as degraded even when it also refused.
 */
export function answerOutcome(answer: Answer): AnswerOutcome {
  if (answer.degraded) return "degraded";
  if (!answer.answerable) return "refused";
  if (answer.escalate) return "escalated";
  return "answered";
}

/** Registers the HTTP, answer, ingestion and queue metrics; queue depth is read from `queue.counts()` at scrape time. */
export function createHttpMetrics(registry: Registry, queue: JobQueue, logger: Logger): HttpMetrics {
  const requestDuration = new Histogram({
    name: "groundline_http_request_duration_seconds",
    help: "HTTP request latency by method, route pattern and status",
    labelNames: ["method", "route", "status"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const answers = new Counter({
    name: "groundline_answers_total",
    help: "Answers computed, by outcome (answered, refused, escalated, degraded)",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });
  for (const outcome of ["answered", "refused", "escalated", "degraded"] as const) answers.inc({ outcome }, 0);
  const llmFallbacks = new Counter({
    name: "groundline_llm_fallbacks_total",
    help: "Model steps that fell back (condense-failed, condense-unusable, compose-timeout, compose-model-error, compose-malformed-reply)",
    labelNames: ["reason"] as const,
    registers: [registry],
  });
  const jobsEnqueued = new Counter({ name: "groundline_ingest_jobs_enqueued_total", help: "Ingestion jobs enqueued", registers: [registry] });
  const jobsDeduplicated = new Counter({
    name: "groundline_ingest_jobs_deduplicated_total",
    help: "Uploads that matched an already queued or running job",
    registers: [registry],
  });
  new Gauge({
    name: "groundline_queue_jobs",
    help: "Ingestion jobs by state, read from the queue at scrape time",
    labelNames: ["state"] as const,
    registers: [registry],
    // Every serving process reads the same queue: summing over processes would count each job N times.
    aggregator: "max",
    async collect() {
      try {
        const counts = await queue.counts();
        for (const state of STATES) this.set({ state }, counts[state] ?? 0);
      } catch (err) {
        // A scrape must not fail because the queue backend is down; the stale values stay.
        logger.warn({ err: errorMessage(err) }, "queue counts unavailable for metrics");
      }
    },
  });
  return { registry, requestDuration, answers, llmFallbacks, jobsEnqueued, jobsDeduplicated };
}
