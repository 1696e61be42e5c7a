import type { Answering } from "../container.js";
import type { Answer } from "../domain/answer.js";
import type { AnswerRequest } from "../answer/answer.js";
import type { Assist } from "../assist/create-assist.js";
import type { Logger } from "pino";
import { errorMessage } from "../errors.js";
import type { AnswerSlots } from "./answer-slots.js";
import { answerOutcome, type HttpMetrics } from "./metrics.js";

export interface AnswerRunnerDeps {
  answering: Answering;
  slots: AnswerSlots;
  httpMetrics: HttpMetrics;
}

/**
 * Runs the answer use case bound to the request's abort signal and counts its outcome. Throws the signal's
 * reason when the request was aborted meanwhile (timeout, disconnect), so nothing stale is sent.
 * The caller holds an answer slot (see AnswerSlots).
 */
export async function runAnswer(deps: AnswerRunnerDeps, request: AnswerRequest, signal: AbortSignal): Promise<Answer> {
  const answer = await deps.answering.answer({ ...request, signal });
  signal.throwIfAborted();
  deps.httpMetrics.answers.inc({ outcome: answerOutcome(answer) });
  return answer;
}

/**
 * The one place the answer routes (/answer, /v1/chat/completions, plain and streamed) serve an answer: the answer
 * use case with a per-question memo (so triage reuses its IDF and query vector), then — with assist — triage and the
 * analytics record. The CLI serves through `Assist.serveAnswer` the same way, so both return the same object.
 */
export async function serveAnswer(
  deps: AnswerRunnerDeps & { assist?: Assist; logger: Logger },
  request: AnswerRequest,
  signal: AbortSignal,
  keyName: string | undefined,
): Promise<Answer> {
  const memo = request.memo ?? deps.answering.newMemo?.();
  const onFallback = (reason: string, error?: unknown): void => {
    // The reason only (and the error's message): never the question or the model's text.
    deps.logger.warn({ reason, ...(error !== undefined ? { err: errorMessage(error) } : {}) }, "LLM step fell back");
    deps.httpMetrics.llmFallbacks.inc({ reason });
  };
  const shared = { ...request, ...(memo ? { memo } : {}), onFallback };
  const computed = await runAnswer(deps, shared, signal);
  if (!deps.assist) return computed;
  const { onToken: _streamed, onFallback: _counted, ...rest } = shared;
  return deps.assist.serveAnswer(rest, computed, servedContext(deps, keyName));
}

/** Holds an answer slot while `fn` runs. */
export async function withAnswerSlot<T>(deps: AnswerRunnerDeps, signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
  const release = await deps.slots.acquire(signal);
  try {
    return await fn();
  } finally {
    release();
  }
}

/**
 * The caller's key name for the analytics record, and where a failed analytics write goes: the log (its message only,
 * never the question). Analytics must never cost the caller their answer.
 */
export function servedContext(deps: { logger: Logger }, keyName: string | undefined): { keyName?: string; onRecordError: (err: unknown) => void } {
  return {
    ...(keyName ? { keyName } : {}),
    onRecordError: (err) => deps.logger.error({ err: errorMessage(err) }, "recording the served answer for analytics failed"),
  };
}
